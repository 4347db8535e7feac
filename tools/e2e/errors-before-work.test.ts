import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { scratchWorkspace, writePipeline, cli } from './workspace.ts';

const BASE = {
  dataset: { source: 'mnist-sample', primary: [4, 9], auxiliary: [5, 7], perClass: 10, testPerClass: 5, seed: 0 },
  train: { model: 'MLPNet', width: 8, epochs: 1, batch: 10 },
  probe: {},
  ntk: {},
  similarity: { use: ['relative', 'kernelized', 'ntk'], baselines: ['raw'] },
  cluster: { k: 2, seeds: 1, restarts: 1, methods: [{ input: 'raw', method: 'kmeans' }, { input: 'relative', method: 'kmeans' }] },
  report: {},
};

const { train: _train, ...UNTRAINED } = BASE;

/** Pipelines that used to fail only after ingest and training had run (about 40 s of the default's), each with the field its error names. */
const CASES: [string, object, string, RegExp][] = [
  ['k above the primary examples', { ...BASE, cluster: { ...BASE.cluster, k: 21 } }, 'cluster.k', /k = 21 but the data set has only 20 primary examples/],
  ['a cluster input no stage writes', { ...BASE, cluster: { ...BASE.cluster, methods: [{ input: 'pca', method: 'kmeans' }] } }, 'cluster.methods[0].input', /"pca" is not written by the similarity section/],
  ['a missing feature file', { ...BASE, similarity: { ...BASE.similarity, features: { emb: 'emb.arrow' } } }, 'similarity.features.emb', /feature file .*pipelines\/emb\.arrow not found/],
  ['perClass above the data', { ...BASE, dataset: { ...BASE.dataset, perClass: 800 } }, 'dataset.perClass', /primary class 4 has 784 examples in the train split of mnist-sample, 800 needed/],
  ['probe without a train section', UNTRAINED, 'probe', /reads a trained model, but the pipeline has no "train" section/],
];

test('impossible pipelines fail at validation, before any stage runs: one line naming the pipeline file and the JSON path, no data/NAME/', { timeout: 300_000 }, async (t) => {
  const ws = await scratchWorkspace(t, {});
  for (const [what, body, field, words] of CASES) {
    await writePipeline(ws, 'p', body);
    const started = performance.now();
    const r = cli(ws, ['run', 'p'], { NX_CACHE_DIRECTORY: join(ws, '.nx-cache') });
    const seconds = (performance.now() - started) / 1000;
    assert.equal(r.status, 1, `${what}: ${r.stderr}`);
    const errors = r.stderr.split('\n').filter((line) => line.startsWith('error:'));
    assert.equal(errors.length, 1, `${what}: ${r.stderr}`);
    assert.ok(errors[0].startsWith(`error: ${join(ws, 'pipelines', 'p.json')}: ${field}: `), `${what}: ${errors[0]}`);
    assert.match(errors[0], words, what);
    assert.doesNotMatch(r.stdout + r.stderr, /nx run|Running target|\[ingest\]/, `${what}: no stage ran`);
    assert.ok(!existsSync(join(ws, 'data', 'p')), `${what}: no data/p/`);
    assert.ok(seconds < 30, `${what}: ${seconds.toFixed(1)} s`);
  }
});

test('an ingest that fails inside the stage (truncated CIFAR-10 batches) leaves no empty data/NAME/ folder', { timeout: 300_000 }, async (t) => {
  const ws = await scratchWorkspace(t, { p: { ...BASE, dataset: { ...BASE.dataset, source: 'cifar10', path: 'raw', primary: [1, 2], auxiliary: [0], testPerClass: 0 } } });
  await mkdir(join(ws, 'raw'));
  for (let k = 1; k <= 5; k++) await writeFile(join(ws, 'raw', `data_batch_${k}.bin`), 'truncated');
  const r = cli(ws, ['run', 'p'], { NX_CACHE_DIRECTORY: join(ws, '.nx-cache') });
  assert.notEqual(r.status, 0);
  assert.match(r.stdout + r.stderr, /raw\/data_batch_1\.bin: length: 9 bytes is not a positive multiple of the 3073-byte record/);
  assert.deepEqual(existsSync(join(ws, 'data')) ? await readdir(join(ws, 'data')) : [], []);
});
