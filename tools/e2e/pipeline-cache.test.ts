import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { readMatrixFile, readDatasetFile } from '@elasticity/core';
import { scratchWorkspace, writePipeline, cli, cacheHits } from './workspace.ts';

const TINY = {
  dataset: { source: 'mnist-sample', primary: [4, 9], auxiliary: [5, 7], perClass: 15, testPerClass: 5, seed: 0 },
  train: { model: 'MLPNet', width: 16, epochs: 2, batch: 10, lr: 0.003, seed: 0 },
  probe: { kinds: ['relative', 'kernelized'], eta: 'authors' },
  ntk: { kind: 'empirical' },
  similarity: { use: ['relative', 'kernelized', 'ntk'], baselines: ['raw', 'pca'], pcaComponents: 5 },
  cluster: {
    k: 2, seeds: 2, restarts: 2,
    methods: [
      { input: 'raw', method: 'kmeans' }, { input: 'pca', method: 'kmeans' }, { input: 'relative', method: 'kmeans' },
      { input: 'kernelized', method: 'kernel-kmeans' }, { input: 'ntk', method: 'kernel-kmeans' },
    ],
  },
  report: {},
};

test('a tiny pipeline runs through Nx, is all cache hits the second time, and an edit of one section re-runs only it and its downstream', { timeout: 300_000 }, async (t) => {
  const ws = await scratchWorkspace(t, { tiny: TINY });

  const first = cli(ws, ['run', 'tiny']);
  assert.equal(first.status, 0, first.stderr + first.stdout);
  assert.equal(cacheHits(first.stdout).fromCache, 0);
  assert.match(first.stdout, /K-means on pixels/);
  assert.match(first.stdout, /NTK \+ kernel K-means/);
  for (const stage of ['ingest', 'train', 'probe', 'ntk', 'similarity', 'cluster', 'report']) assert.ok(existsSync(join(ws, 'data/tiny', stage)), stage);
  const { dataset } = await readDatasetFile(join(ws, 'data/tiny/ingest/dataset.arrow'));
  const { matrix } = await readMatrixFile(join(ws, 'data/tiny/similarity/ntk.arrow'));
  assert.equal(matrix.rowIds.length, dataset.roles.filter((r) => r === 'primary').length);

  const second = cli(ws, ['run', 'tiny']);
  assert.equal(second.status, 0, second.stderr);
  assert.deepEqual(cacheHits(second.stdout), { fromCache: 7, total: 7 });

  await writePipeline(ws, 'tiny', { ...TINY, cluster: { ...TINY.cluster, seeds: 3 } });
  const third = cli(ws, ['run', 'tiny']);
  assert.equal(third.status, 0, third.stderr);
  assert.deepEqual(cacheHits(third.stdout), { fromCache: 5, total: 7 });
  for (const stage of ['ingest', 'train', 'probe', 'ntk', 'similarity']) assert.match(third.stdout, new RegExp(`tiny:${stage}.*\\[local cache\\]|\\[local cache\\].*tiny:${stage}`), stage);
});
