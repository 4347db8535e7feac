import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '../..');
const METHOD = join(ROOT, 'docs/method.md');

/** Section numbers of docs/method.md ("## N. Title"). */
function sections(): Set<number> {
  return new Set([...readFileSync(METHOD, 'utf8').matchAll(/^## (\d+)\. /gm)].map((m) => Number(m[1])));
}

function files(dir: string, keep: (f: string) => boolean): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (name === 'node_modules' || name.startsWith('.')) return [];
    return statSync(path).isDirectory() ? files(path, keep) : keep(path) ? [path] : [];
  });
}

/** Every "method.md section N" / "sections N-M" / "sections N and M" cited in the code and pipelines. */
export function citations(text: string): number[] {
  const cited: number[] = [];
  for (const m of text.matchAll(/method\.md,? sections? ((?:\d+)(?:\s*(?:-|–|and|,)\s*\d+)*)/g)) {
    const list = m[1];
    const range = /^(\d+)\s*[-–]\s*(\d+)$/.exec(list);
    if (range) for (let s = Number(range[1]); s <= Number(range[2]); s++) cited.push(s);
    else cited.push(...list.split(/\s*(?:and|,)\s*/).map(Number));
  }
  return cited;
}

test('citations are read as single sections, ranges and lists', () => {
  assert.deepEqual(citations('see method.md section 4). and method.md sections 2-3, method.md sections 3 and 4'), [4, 2, 3, 3, 4]);
});

test('every "method.md section N" in the code and pipelines names a section of docs/method.md', () => {
  const known = sections();
  assert.ok(known.size >= 7, 'docs/method.md has its numbered sections');
  const sources = [
    ...files(join(ROOT, 'packages'), (f) => f.endsWith('.ts')),
    ...files(join(ROOT, 'tools'), (f) => f.endsWith('.ts') && !f.endsWith('method-citations.test.ts')),
    ...files(join(ROOT, 'pipelines'), (f) => f.endsWith('.json')),
  ];
  let count = 0;
  const missing: string[] = [];
  for (const file of sources) {
    for (const s of citations(readFileSync(file, 'utf8'))) {
      count++;
      if (!known.has(s)) missing.push(`${relative(ROOT, file)}: section ${s}`);
    }
  }
  assert.ok(count > 20, `found ${count} citations`);
  assert.deepEqual(missing, []);
});
