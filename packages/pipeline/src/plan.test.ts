import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findInstance, planPipeline } from './plan.ts';
import { readPipeline } from './read-pipeline.ts';

const BASE = {
  dataset: { source: 'mnist-sample', primary: [4, 9], auxiliary: [5, 7], perClass: 10 },
  train: { width: 8, epochs: 1 },
  probe: { kinds: ['relative', 'kernelized'] },
  similarity: { use: ['relative'] },
  cluster: { k: 2 },
};

async function pipeline(body: object, name = 'sweep') {
  const dir = await mkdtemp(join(tmpdir(), 'plan-'));
  const file = join(dir, 'pipelines', `${name}.json`);
  await import('node:fs/promises').then((fs) => fs.mkdir(join(dir, 'pipelines'), { recursive: true }));
  await writeFile(file, JSON.stringify(body));
  return readPipeline(file);
}

const MATRIX = {
  pair: { '4v9': { 'dataset.primary': [4, 9] }, '5v8': { 'dataset.primary': [5, 8] } },
  model: { relu: { 'train.model': 'MLPNet' }, linear: { 'train.model': 'MLPLinear' } },
  similarity: {
    relative: { 'similarity.use': ['relative'], 'cluster.methods': [{ input: 'relative', method: 'kmeans' }] },
    kernelized: { 'similarity.use': ['kernelized'], 'cluster.methods': [{ input: 'kernelized', method: 'kernel-kmeans' }] },
  },
};

const count = (plan: ReturnType<typeof planPipeline>, stage: string) => plan.instances.filter((i) => i.stage === stage).length;

test('a plain pipeline has one instance per stage, in the stage folders', async () => {
  const plan = planPipeline(await pipeline(BASE, 'plain'));
  assert.equal(plan.combos.length, 1);
  assert.deepEqual(plan.instances.map((i) => [i.stage, i.key, i.folder]), [
    ['ingest', '', 'ingest'], ['train', '', 'train'], ['probe', '', 'probe'], ['similarity', '', 'similarity'], ['cluster', '', 'cluster'],
  ]);
  assert.equal(plan.combos[0].leaf.stage, 'cluster');
});

test('matrix combinations share every stage instance whose section and upstream agree', async () => {
  const plan = planPipeline(await pipeline({ ...BASE, matrix: MATRIX }));
  assert.equal(plan.combos.length, 8);
  // one data set per pair feeds both models; one model feeds both similarity choices
  assert.equal(count(plan, 'ingest'), 2);
  assert.equal(count(plan, 'train'), 4);
  assert.equal(count(plan, 'probe'), 4);
  assert.equal(count(plan, 'similarity'), 8);
  assert.equal(count(plan, 'cluster'), 8);
  const [a, b] = plan.combos.filter((c) => c.labels.pair === '4v9' && c.labels.model === 'relu');
  assert.equal(a.instances.train, b.instances.train);
  assert.notEqual(a.instances.similarity, b.instances.similarity);
  // folders are STAGE-KEY, upstream links point at the shared instances
  for (const i of plan.instances) assert.match(i.folder, new RegExp(`^${i.stage}-[0-9a-f]{10}$`));
  assert.equal(a.instances.probe!.upstream.train, a.instances.train);
  assert.deepEqual(a.instances.train!.combos, [a.id, b.id]);
});

test('changing only the similarity axis keeps the key of every training, data set and probe instance', async () => {
  const before = planPipeline(await pipeline({ ...BASE, matrix: MATRIX }));
  const edited = structuredClone(MATRIX);
  edited.similarity.relative['similarity.use'] = ['relative', 'kernelized'];
  const after = planPipeline(await pipeline({ ...BASE, matrix: edited }));
  const keys = (plan: typeof before, stage: string) => plan.instances.filter((i) => i.stage === stage).map((i) => i.key).sort();
  for (const stage of ['ingest', 'train', 'probe']) assert.deepEqual(keys(after, stage), keys(before, stage), stage);
  // the relative combinations' similarity (and so cluster) instances changed, the kernelized ones did not
  const changed = keys(after, 'similarity').filter((k) => !keys(before, 'similarity').includes(k));
  assert.equal(changed.length, 4);
  const clusterChanged = keys(after, 'cluster').filter((k) => !keys(before, 'cluster').includes(k));
  assert.equal(clusterChanged.length, 4);
});

test('an instance is found by stage and key; a matrix needs the key', async () => {
  const plan = planPipeline(await pipeline({ ...BASE, matrix: MATRIX }));
  const train = plan.instances.find((i) => i.stage === 'train')!;
  const { instance, combo } = findInstance(plan, 'train', train.key);
  assert.equal(instance, train);
  assert.ok(instance.combos.includes(combo.id));
  assert.equal(combo.pipeline.sections.train && (combo.pipeline.sections.train as { model: string }).model, 'MLPNet');
  assert.throws(() => findInstance(plan, 'train', ''), /--instance: is a matrix pipeline: name the train instance with --instance KEY/);
  assert.throws(() => findInstance(plan, 'train', '0123456789'), /--instance: has no train instance "0123456789"; instances: /);
  const plain = planPipeline(await pipeline(BASE, 'plain'));
  assert.throws(() => findInstance(plain, 'train', 'abc'), /--instance applies to matrix pipelines only/);
});

test('pipelines in subfolders of pipelines/ are named by their path', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'plan-'));
  const fs = await import('node:fs/promises');
  await fs.mkdir(join(dir, 'pipelines', 'paper'), { recursive: true });
  await writeFile(join(dir, 'pipelines', 'paper', 'table.json'), JSON.stringify(BASE));
  assert.equal(readPipeline(join(dir, 'pipelines', 'paper', 'table.json')).name, 'paper/table');
});
