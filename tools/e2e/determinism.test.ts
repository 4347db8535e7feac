import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { readTrainingMetricsFile } from '@elasticity/core';
import { scratchWorkspace, cli } from './workspace.ts';
import { listFiles } from './stage-output.ts';

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

/** Files whose content includes wall-clock durations, compared without them. */
async function withoutDurations(file: string): Promise<unknown> {
  if (file.endsWith('train/metrics.arrow')) {
    const { records, meta } = await readTrainingMetricsFile(file);
    return { records: records.map(({ seconds: _s, ...r }) => r), meta };
  }
  if (file.endsWith('report/results.json')) {
    const results = JSON.parse(await readFile(file, 'utf8'));
    if (results.training) delete results.training.seconds;
    return results;
  }
  return undefined;
}

test('the same pipeline, seed and backend give byte-identical outputs (durations aside)', { timeout: 400_000 }, async () => {
  const runs: string[] = [];
  for (let k = 0; k < 2; k++) {
    const ws = await scratchWorkspace({ p: PIPELINE });
    for (const stage of STAGES) {
      const r = cli(ws, [stage, '--pipeline', 'p', '--backend', 'wasm']);
      assert.equal(r.status, 0, `${stage}: ${r.stderr}`);
    }
    runs.push(join(ws, 'data/p'));
  }
  const files = await listFiles(runs[0]);
  assert.deepEqual(await listFiles(runs[1]), files);
  assert.ok(files.length >= 15, files.join(' '));
  for (const file of files) {
    const [a, b] = runs.map((root) => join(root, file));
    const timed = await withoutDurations(a);
    if (timed !== undefined) assert.deepEqual(await withoutDurations(b), timed, file);
    else assert.ok((await readFile(a)).equals(await readFile(b)), `${file} differs between two runs`);
  }
});
