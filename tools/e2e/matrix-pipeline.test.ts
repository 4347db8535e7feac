import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFile, mkdir, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { scratchWorkspace, writePipeline, cli, cacheHits } from './workspace.ts';
import { nx } from './workspace-copy.ts';

const SWEEP = {
  matrix: {
    similarity: {
      relative: { 'similarity.use': ['relative'], 'cluster.methods': [{ input: 'raw', method: 'kmeans' }, { input: 'relative', method: 'kmeans' }] },
      kernelized: { 'similarity.use': ['kernelized'], 'cluster.methods': [{ input: 'raw', method: 'kmeans' }, { input: 'kernelized', method: 'kernel-kmeans' }] },
    },
    seed: { path: 'train.seed', values: [0, 1] },
  },
  dataset: { source: 'mnist-sample', primary: [4, 9], auxiliary: [5, 7], perClass: 15, testPerClass: 5, seed: 0 },
  train: { model: 'MLPNet', width: 16, epochs: 2, batch: 10, lr: 0.003 },
  probe: { kinds: ['relative', 'kernelized'], eta: 'authors' },
  similarity: { use: ['relative'], baselines: ['raw'] },
  cluster: { k: 2, seeds: 2, restarts: 2 },
  report: {},
};

const folders = async (ws: string, stage: string) => (await readdir(join(ws, 'data/sweeps/tiny'), { withFileTypes: true })).filter((e) => e.isDirectory() && new RegExp(`^${stage}(-.+)?$`).test(e.name)).map((e) => e.name).sort();

test('a matrix pipeline shares its upstream stages, reports mean ± sd over seeds, and an edit of one axis value re-runs only what it reaches', { timeout: 600_000 }, async (t) => {
  const ws = await scratchWorkspace(t, {});
  await mkdir(join(ws, 'pipelines', 'sweeps'));
  await writePipeline(ws, 'sweeps/tiny', SWEEP);

  const first = cli(ws, ['run', 'sweeps/tiny']);
  assert.equal(first.status, 0, first.stderr + first.stdout);
  // 1 data set, 2 models (one per seed) and their probes, 4 of each stage from similarity on
  assert.deepEqual(cacheHits(first.stdout), { fromCache: 0, total: 1 + 2 + 2 + 4 + 4 + 4 });
  // each instance's folder is named by the combinations that share it: "_.0" is every similarity value at seed 0
  const combos = ['kernelized.0', 'kernelized.1', 'relative.0', 'relative.1'];
  assert.deepEqual(await folders(ws, 'ingest'), ['ingest']);
  for (const s of ['train', 'probe']) assert.deepEqual(await folders(ws, s), [`${s}-_.0`, `${s}-_.1`]);
  for (const s of ['similarity', 'cluster', 'report']) assert.deepEqual(await folders(ws, s), combos.map((c) => `${s}-${c}`));
  // Nx projects: the matrix, its combinations and its shared part per seed, named by labels
  const projects = nx(ws, ['show', 'projects']).output.split('\n').filter((l) => l.startsWith('sweeps/')).sort();
  assert.deepEqual(projects, ['sweeps/tiny', 'sweeps/tiny/_.0', 'sweeps/tiny/_.1', ...combos.map((c) => `sweeps/tiny/${c}`)]);
  assert.match(first.stdout, /mean ± sd over the 2 values of seed/);
  assert.match(first.stdout, /relative · K-means/);
  assert.match(first.stdout, /kernelized · kernel K-means/);
  const before = join(ws, 'before.json');
  await copyFile(join(ws, 'data/sweeps/tiny/matrix-report/results.json'), before);
  const trained = await folders(ws, 'train');

  // one value of the similarity axis changes its clustering: its 2 clusterings and 2 reports re-run, nothing else
  const edited = structuredClone(SWEEP);
  (edited.matrix.similarity.kernelized as Record<string, unknown>)['cluster.restarts'] = 3;
  await writePipeline(ws, 'sweeps/tiny', edited);
  const second = cli(ws, ['run', 'sweeps/tiny']);
  assert.equal(second.status, 0, second.stderr + second.stdout);
  assert.deepEqual(cacheHits(second.stdout), { fromCache: 13, total: 17 });
  assert.deepEqual(await folders(ws, 'train'), trained);

  // only one combination: its tasks are all cached
  const one = cli(ws, ['run', 'sweeps/tiny', '--only', 'similarity=relative,seed=1']);
  assert.equal(one.status, 0, one.stderr + one.stdout);
  assert.deepEqual(cacheHits(one.stdout), { fromCache: 6, total: 6 });
  const bad = cli(ws, ['run', 'sweeps/tiny', '--only', 'similarity=ntk']);
  assert.equal(bad.status, 1);
  assert.match(bad.stderr, /--only: axis "similarity" has no value "ntk" \(values: relative, kernelized\)/);

  // compare the run before the edit with the one after: the edited parameter, per combination
  const diff = cli(ws, ['compare', before, 'sweeps/tiny', '--json']);
  assert.equal(diff.status, 0, diff.stderr);
  const json = JSON.parse(diff.stdout) as { params: { path: string; a: unknown; b: unknown }[] };
  const restarts = json.params.filter((p) => p.path.endsWith('cluster.restarts'));
  assert.deepEqual(restarts.map((p) => [p.path.split('/')[0], p.a, p.b]).sort(), [['kernelized.0', 2, 3], ['kernelized.1', 2, 3]]);
});
