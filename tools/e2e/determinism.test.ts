import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { scratchWorkspace, cli } from './workspace.ts';
import { fileHashes } from './stage-output.ts';

const PIPELINE = {
  dataset: { source: 'mnist-sample', primary: [3, 5], auxiliary: [8], perClass: 25, testPerClass: 5, seed: 4 },
  train: { model: 'MLPProb', width: 32, epochs: 3, batch: 10, seed: 4 },
  probe: { kinds: ['relative', 'kernelized'], eta: 'authors' },
  ntk: {},
  similarity: { baselines: ['raw', 'pca'], pcaComponents: 6 },
  cluster: { seeds: 2, restarts: 3 },
  report: {},
};
const STAGES = ['ingest', 'train', 'probe', 'ntk', 'similarity', 'cluster', 'report'];

test('two clean runs of a 7-stage pipeline (run --skip-cache twice) give byte-identical files, every one of them; only the timings files beside the outputs differ', { timeout: 600_000 }, async (t) => {
  const ws = await scratchWorkspace(t, { p: PIPELINE });
  const env = { NX_CACHE_DIRECTORY: join(ws, '.nx-cache') };
  const runs: Record<string, string>[] = [];
  for (let k = 0; k < 2; k++) {
    const r = cli(ws, ['run', 'p', '--skip-cache', '--backend', 'wasm'], env);
    assert.equal(r.status, 0, r.stderr + r.stdout);
    runs.push(await fileHashes(join(ws, 'data/p')));
  }
  const [first, second] = runs;
  const timings = Object.keys(first).filter((f) => f.endsWith('.timings.json'));
  assert.deepEqual(timings.sort(), STAGES.map((s) => `${s}.timings.json`).sort(), 'one timings file per stage, beside its folder');
  const outputs = Object.keys(first).filter((f) => !timings.includes(f));
  assert.ok(outputs.every((f) => STAGES.includes(f.split('/')[0])), outputs.join(' '));
  assert.ok(outputs.length >= 24, outputs.join(' '));
  assert.deepEqual(Object.keys(second).sort(), Object.keys(first).sort());
  for (const file of outputs) assert.equal(second[file], first[file], `${file} differs between two clean runs`);
  assert.notEqual(second['train.timings.json'], first['train.timings.json'], 'the second run really ran (its timings file is new)');
});
