import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { withTempDir } from '@elasticity/core/testing';
import { findInstance, planPipeline } from './plan.ts';
import { readPipeline } from './read-pipeline.ts';

const BASE = {
  dataset: { source: 'mnist-sample', primary: [4, 9], auxiliary: [5, 7], perClass: 10 },
  train: { width: 8, epochs: 1 },
  probe: { kinds: ['relative', 'kernelized'] },
  similarity: { use: ['relative'] },
  cluster: { k: 2 },
};

function pipeline(body: object, name = 'sweep') {
  return withTempDir('plan-', async (dir) => {
    const file = join(dir, 'pipelines', `${name}.json`);
    await import('node:fs/promises').then((fs) => fs.mkdir(join(dir, 'pipelines'), { recursive: true }));
    await writeFile(file, JSON.stringify(body));
    return readPipeline(file);
  });
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
  // upstream links point at the shared instances
  assert.equal(a.instances.probe!.upstream.train, a.instances.train);
  assert.deepEqual(a.instances.train!.combos, [a.id, b.id]);
});

test('an instance is named by the combinations that share it: "_" for an axis over all its values', async () => {
  const plan = planPipeline(await pipeline({ ...BASE, matrix: MATRIX }));
  const ids = (stage: string) => plan.instances.filter((i) => i.stage === stage).map((i) => i.id);
  assert.deepEqual(ids('ingest'), ['4v9._._', '5v8._._']);
  assert.deepEqual(ids('train'), ['4v9.relu._', '4v9.linear._', '5v8.relu._', '5v8.linear._']);
  assert.deepEqual(ids('probe'), ids('train'));
  assert.deepEqual(ids('similarity'), plan.combos.map((c) => c.id));
  assert.deepEqual(ids('cluster'), plan.combos.map((c) => c.id));
  for (const i of plan.instances) assert.equal(i.folder, `${i.stage}-${i.id}`);
  // an instance used by one combination is named (and held by) the combination
  const combo = plan.combos[0];
  assert.equal(combo.instances.similarity!.id, combo.id);
});

test('an instance alone in its stage has no id; some values of an axis are joined by "+"; a set that is no product lists its combinations', async () => {
  const single = planPipeline(await pipeline({ ...BASE, matrix: { seed: { path: 'train.seed', values: [0, 1] } } }));
  const ingest = single.instances.find((i) => i.stage === 'ingest')!;
  assert.deepEqual([ingest.id, ingest.folder], ['', 'ingest']);
  assert.deepEqual(single.instances.filter((i) => i.stage === 'train').map((i) => i.folder), ['train-0', 'train-1']);
  // a1 and a2 give the same width: one model for both, on either seed
  const subset = planPipeline(await pipeline({
    ...BASE,
    matrix: { width: { a1: { 'train.width': 8 }, a2: { 'train.width': 8 }, a3: { 'train.width': 16 } }, cut: { x: { 'cluster.k': 2 }, y: { 'cluster.k': 3 } } },
  }));
  assert.deepEqual(subset.instances.filter((i) => i.stage === 'train').map((i) => i.id), ['a1+a2._', 'a3._']);
  // the last axis overrides the first: width 8 in a1.x, a1.y and a2.y, 16 in a2.x only
  const tangled = planPipeline(await pipeline({
    ...BASE,
    matrix: { a: { a1: { 'train.width': 8 }, a2: { 'train.width': 16 } }, b: { x: {}, y: { 'train.width': 8 } } },
  }));
  assert.deepEqual(tangled.instances.filter((i) => i.stage === 'train').map((i) => i.id), ['a1.x+a1.y+a2.y', 'a2.x']);
});

test('ids do not change when an axis value\'s settings change, keys do', async () => {
  const before = planPipeline(await pipeline({ ...BASE, matrix: MATRIX }));
  const edited = structuredClone(MATRIX);
  edited.similarity.kernelized['cluster.methods'] = [{ input: 'kernelized', method: 'kmeans' }];
  const after = planPipeline(await pipeline({ ...BASE, matrix: edited }));
  assert.deepEqual(after.instances.map((i) => [i.stage, i.id]), before.instances.map((i) => [i.stage, i.id]));
  const changed = after.instances.filter((i, n) => i.key !== before.instances[n].key).map((i) => `${i.stage}-${i.id}`);
  assert.deepEqual(changed, ['4v9.relu.kernelized', '4v9.linear.kernelized', '5v8.relu.kernelized', '5v8.linear.kernelized'].map((c) => `cluster-${c}`));
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

test('an instance is found by stage and id or key; a matrix needs one unless the stage has one instance', async () => {
  const plan = planPipeline(await pipeline({ ...BASE, matrix: MATRIX }));
  const train = plan.instances.find((i) => i.stage === 'train')!;
  const { instance, combo } = findInstance(plan, 'train', train.key);
  assert.equal(instance, train);
  assert.equal(findInstance(plan, 'train', '4v9.relu._').instance, train);
  assert.ok(instance.combos.includes(combo.id));
  assert.equal(combo.pipeline.sections.train && (combo.pipeline.sections.train as { model: string }).model, 'MLPNet');
  assert.throws(() => findInstance(plan, 'train', ''), /--instance: is a matrix pipeline with 4 train instances: name one with --instance \(4v9\.relu\._, 4v9\.linear\._, 5v8\.relu\._, 5v8\.linear\._\)/);
  assert.throws(() => findInstance(plan, 'train', '0123456789'), /--instance: has no train instance "0123456789"; instances: 4v9\.relu\._, /);
  const single = planPipeline(await pipeline({ ...BASE, matrix: { seed: { path: 'train.seed', values: [0, 1] } } }));
  assert.equal(findInstance(single, 'ingest', '').instance.folder, 'ingest');
  const plain = planPipeline(await pipeline(BASE, 'plain'));
  assert.throws(() => findInstance(plain, 'train', 'abc'), /--instance applies to matrix pipelines only/);
});

test('pipelines in subfolders of pipelines/ are named by their path', async () => {
  await withTempDir('plan-', async (dir) => {
    const fs = await import('node:fs/promises');
    await fs.mkdir(join(dir, 'pipelines', 'paper'), { recursive: true });
    await writeFile(join(dir, 'pipelines', 'paper', 'table.json'), JSON.stringify(BASE));
    assert.equal(readPipeline(join(dir, 'pipelines', 'paper', 'table.json')).name, 'paper/table');
  });
});
