import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ElasticityError, writeFeaturesFile } from '@elasticity/core';
import { inspectFile } from './inspect-file.ts';

const dir = await mkdtemp(join(tmpdir(), 'inspect-'));
after(() => rm(dir, { recursive: true, force: true }));

/** A features file whose params hold one 300-character value. */
async function featuresFile(): Promise<string> {
  const file = join(dir, 'raw.arrow');
  const features = { kind: 'raw', ids: Int32Array.from([3, 5]), values: Float64Array.from([0.5, 1, 1.5, 2]), dim: 2 };
  await writeFeaturesFile(file, features, { stage: 'similarity', params: { note: 'x'.repeat(300) }, seed: 0, inputs: {} });
  return file;
}

const options = (file: string, more: { json?: boolean; full?: boolean } = {}) => ({ file, rows: 5, json: false, full: false, ...more });

/** The one-line error inspect gives for `file`, checked to name it. */
async function errorFor(file: string): Promise<string> {
  try {
    await inspectFile(options(file));
  } catch (error) {
    assert.ok(error instanceof ElasticityError, String(error));
    assert.equal(error.file, file);
    assert.ok(!error.message.includes('\n'), error.message);
    return error.message;
  }
  assert.fail(`${file} was inspected without error`);
}

test('an empty file, a JSON file and a truncated Arrow file each get one line saying which', async () => {
  const empty = join(dir, 'empty.arrow');
  await writeFile(empty, '');
  assert.match(await errorFor(empty), /: arrow: not an Arrow IPC file: it is empty \(0 bytes\)$/);

  const json = join(dir, 'metrics.json');
  await writeFile(json, '{\n  "methods": []\n}\n');
  assert.match(await errorFor(json), /: arrow: not an Arrow IPC file: it begins with '\{·  "methods": \[' where an Arrow file begins with "ARROW1"$/);

  const whole = await readFile(await featuresFile());
  const truncated = join(dir, 'truncated.arrow');
  await writeFile(truncated, whole.subarray(0, Math.floor(whole.byteLength / 2)));
  assert.match(await errorFor(truncated), new RegExp(`: arrow: not a readable Arrow IPC file: truncated \\(${Math.floor(whole.byteLength / 2)} bytes; the closing "ARROW1" is missing\\)$`));
});

test('metadata lines are cut at 120 characters with a note, and whole with --full (as in --json)', async () => {
  const file = await featuresFile();
  const cut = await inspectFile(options(file));
  assert.match(cut, /features file \(valid\), 2 rows/);
  const paramsLine = cut.split('\n').find((l) => l.startsWith('  params: '))!;
  assert.equal(paramsLine.length, 120);
  assert.ok(paramsLine.endsWith('…'));
  assert.match(cut, /\(lines cut at 120 characters: --full shows them whole\)/);

  const full = await inspectFile(options(file, { full: true }));
  assert.ok(full.includes(`  params: {"note":"${'x'.repeat(300)}"}\n`));
  assert.doesNotMatch(full, /--full shows/);
  const json = JSON.parse(await inspectFile(options(file, { json: true }))) as { metadata: { params: { note: string } } };
  assert.equal(json.metadata.params.note, 'x'.repeat(300));
});
