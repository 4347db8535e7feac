import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFile, cp, readFile, rm } from 'node:fs/promises';
import { join, sep } from 'node:path';
import { scratchWorkspace, cli, cacheHits, REPO } from './workspace.ts';
import { fileHashes } from './stage-output.ts';

const PIPELINE = {
  dataset: { source: 'mnist-sample', primary: [4, 9], auxiliary: [5, 7], perClass: 15, testPerClass: 5, seed: 0 },
  train: { model: 'MLPNet', width: 16, epochs: 2, batch: 10, lr: 0.003, seed: 0 },
  probe: { kinds: ['relative', 'kernelized'], eta: 'authors' },
  ntk: { kind: 'empirical' },
  similarity: { use: ['relative', 'kernelized', 'ntk'], baselines: ['raw'] },
  cluster: { k: 2, seeds: 2, restarts: 2, methods: [{ input: 'raw', method: 'kmeans' }, { input: 'relative', method: 'kmeans' }] },
  report: {},
};

/**
 * Replaces the workspace's link to the repository's packages/ by a copy (Nx
 * finds the packages as projects only in real folders). Nx hashes the copy,
 * so editing a copied file changes the keys of the stages that use it, while
 * the stage code that runs is still the repository's (workspace packages
 * resolve through node_modules/@elasticity).
 */
async function copyPackages(ws: string): Promise<void> {
  await rm(join(ws, 'packages'));
  await cp(join(REPO, 'packages'), join(ws, 'packages'), { recursive: true, filter: (src) => !src.split(sep).includes('node_modules') });
}

test('training re-run by a change that leaves its weights equal writes the same bytes, so every later stage comes from the Nx cache', { timeout: 600_000 }, async (t) => {
  const ws = await scratchWorkspace(t, { p: PIPELINE });
  await copyPackages(ws);
  const training = join(ws, 'packages', 'training');
  const env = { NX_CACHE_DIRECTORY: join(ws, '.nx-cache') };

  const first = cli(ws, ['run', 'p'], env);
  assert.equal(first.status, 0, first.stderr + first.stdout);
  assert.equal(cacheHits(first.stdout).fromCache, 0);
  const trained = await fileHashes(join(ws, 'data/p/train'));
  const timings = await readFile(join(ws, 'data/p/train.timings.json'), 'utf8');

  // A comment in the training package: a new key for the train task, the same computation.
  await appendFile(join(training, 'src', 'index.ts'), '\n// a comment: the train stage re-runs, its outputs do not change\n');
  const second = cli(ws, ['run', 'p'], env);
  assert.equal(second.status, 0, second.stderr + second.stdout);
  assert.notEqual(await readFile(join(ws, 'data/p/train.timings.json'), 'utf8'), timings, 'train really ran again (a new timings file)');
  assert.deepEqual(await fileHashes(join(ws, 'data/p/train')), trained, 'equal weights, equal metrics: the same bytes');
  assert.deepEqual(cacheHits(second.stdout), { fromCache: 6, total: 7 }, second.stdout);
  for (const stage of ['probe', 'ntk', 'similarity', 'cluster', 'report']) {
    assert.match(second.stdout, new RegExp(`p:${stage}.*\\[local cache\\]|\\[local cache\\].*p:${stage}`), `${stage} came from the cache`);
  }
  assert.doesNotMatch(second.stdout, /p:train.*\[local cache\]|\[local cache\].*p:train/);
});
