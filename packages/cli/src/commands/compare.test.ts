import { test } from 'node:test';
import type { TestContext } from 'node:test';
import assert from 'node:assert/strict';
import yargs from 'yargs';
import { ElasticityError } from '@elasticity/core';
import { createCompareCommand } from './compare.ts';
import { fakeResults, git, tempDir, writeJson } from '../compare/test-fixtures.ts';

/** Runs `compare ...args` through a yargs instance of its own; resolves to what it printed. */
async function compare(cwd: string, ...args: string[]): Promise<string> {
  let out = '';
  await yargs(['compare', ...args])
    .command(createCompareCommand({ write: (text) => { out += text; }, cwd: () => cwd }))
    .strict()
    .exitProcess(false)
    .fail((message, error) => { throw error ?? new Error(message); })
    .parseAsync();
  return out;
}

/** A git repository holding results.json committed with accuracy 0.5 and lr 0.003, then changed in the working tree. */
function repoWithChangedResults(t: TestContext): string {
  const cwd = tempDir(t);
  writeJson(cwd, 'results.json', fakeResults('default', 0.5, { params: { train: { lr: 0.003, epochs: 2 }, probe: { kinds: ['relative'] } } }));
  git(cwd, 'init', '-q');
  git(cwd, 'add', 'results.json');
  git(cwd, 'commit', '-q', '-m', 'baseline');
  const changed = fakeResults('default', 0.625, { params: { train: { lr: 0.001, epochs: 2 }, probe: { kinds: ['relative', 'ntk'] } } });
  (changed.training as Record<string, unknown>).seconds = 9;
  writeJson(cwd, 'results.json', changed);
  return cwd;
}

test('compare HEAD:results.json results.json --json: only the params and metrics that changed, with B − A', async (t) => {
  const cwd = repoWithChangedResults(t);
  const json = JSON.parse(await compare(cwd, 'HEAD:results.json', 'results.json', '--json'));
  assert.deepEqual(json.a, { ref: 'HEAD:results.json', file: 'HEAD:results.json', kind: 'pipeline', pipeline: 'default', paramsFrom: 'results.json' });
  assert.equal(json.b.file, 'results.json');
  assert.deepEqual(json.params, [
    { path: 'train.lr', a: 0.003, b: 0.001 },
    { path: 'probe.kinds', a: ['relative'], b: ['relative', 'ntk'] },
  ]);
  // training.seconds changed too (3 → 9) but wall-clock time is not a difference.
  assert.deepEqual(json.metrics, [{ path: 'accuracy/raw/kmeans', a: 0.5, b: 0.625, change: 0.125 }]);
});

test('compare --all lists every param and metric, seconds included', async (t) => {
  const cwd = repoWithChangedResults(t);
  const json = JSON.parse(await compare(cwd, 'HEAD:results.json', 'results.json', '--json', '--all'));
  assert.deepEqual(json.params.map((p: { path: string }) => p.path), ['train.lr', 'train.epochs', 'probe.kinds']);
  // 1 clustering result x (accuracy mean, sd, ari, nmi) + 4 training metrics.
  assert.equal(json.metrics.length, 8);
  const seconds = json.metrics.find((m: { path: string }) => m.path === 'training.seconds');
  assert.deepEqual(seconds, { path: 'training.seconds', a: 3, b: 9, change: 6 });
  assert.equal(json.metrics.find((m: { path: string }) => m.path === 'ari/raw/kmeans').change, 0);
});

test('compare prints an aligned table; a run without params is noted, one-sided metrics show "–"', async (t) => {
  const cwd = repoWithChangedResults(t);
  const table = await compare(cwd, 'HEAD:results.json', 'results.json');
  assert.match(table, /^A: HEAD:results\.json$/m);
  assert.match(table, /^train\.lr +0\.003 +0\.001 +-0\.002$/m);
  assert.match(table, /^accuracy\/raw\/kmeans +0\.5 +0\.625 +\+0\.125$/m);

  writeJson(cwd, 'other.json', { pipeline: 'other', results: [] });
  const text = await compare(cwd, 'results.json', 'other.json');
  assert.match(text, /^params: not compared/m);
  assert.match(text, /^note: params not compared: B \(other\.json\) records none/m);
  assert.match(text, /^accuracy\/raw\/kmeans +0\.625 +–$/m);
});

test('compare with an unknown reference rejects with one error naming it', async (t) => {
  const cwd = tempDir(t);
  await assert.rejects(compare(cwd, 'nosuch', 'alsonot'),
    (e: unknown) => e instanceof ElasticityError && e.message.startsWith('nosuch: unknown run reference'));
});
