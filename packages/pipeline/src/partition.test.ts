import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createRng } from '@elasticity/core';
import { withTempDir } from '@elasticity/core/testing';
import { parsePartition, partitionCombos } from './partition.ts';
import type { PipelinePart } from './partition.ts';
import { planPipeline } from './plan.ts';
import type { PipelinePlan, StageInstance } from './plan.ts';
import { readPipeline } from './read-pipeline.ts';

const BASE = {
  dataset: { source: 'mnist-sample', primary: [4, 9], auxiliary: [5, 7], perClass: 10 },
  train: { width: 8, epochs: 1 },
  probe: { kinds: ['relative', 'kernelized'] },
  similarity: { use: ['relative'] },
  cluster: { k: 2 },
};

let serial = 0;
function plan(body: object): Promise<PipelinePlan> {
  return withTempDir('partition-', async (dir) => {
    await mkdir(join(dir, 'pipelines'));
    const file = join(dir, 'pipelines', `p${serial++}.json`);
    await writeFile(file, JSON.stringify(body));
    return planPipeline(readPipeline(file));
  });
}

const ids = (part: PipelinePart) => part.combos.map((c) => c.id);
const names = (instances: StageInstance[]) => instances.map((i) => `${i.stage}-${i.id}`);

/** The properties every partition must have; returns how many times each instance is computed in all. */
function checkPartition(p: PipelinePlan, parts: PipelinePart[], count: number): Map<StageInstance, number> {
  assert.equal(parts.length, count);
  assert.deepEqual(parts.map((x) => x.index), Array.from({ length: count }, (_, j) => j + 1));
  // disjoint, and together every combination
  assert.deepEqual(parts.flatMap(ids).sort(), p.combos.map((c) => c.id).sort());
  if (p.combos.length >= count) for (const part of parts) assert.ok(part.combos.length > 0, `part ${part.index} is empty`);
  const computed = new Map<StageInstance, number>();
  const seen = new Set<StageInstance>();
  for (const part of parts) {
    // a part computes exactly its combinations' instances; the ones an earlier part also computes are named
    const own = new Set(part.combos.flatMap((c) => Object.values(c.instances)));
    assert.deepEqual(new Set(part.instances), own);
    assert.deepEqual(new Set(part.sharedWithEarlier), new Set([...own].filter((i) => seen.has(i))));
    for (const i of own) {
      seen.add(i);
      computed.set(i, (computed.get(i) ?? 0) + 1);
    }
  }
  assert.equal(computed.size, p.instances.length, 'every instance is computed by some part');
  return computed;
}

const twice = (computed: Map<StageInstance, number>) => [...computed].filter(([, n]) => n > 1).map(([i]) => `${i.stage}-${i.id}`);

const MATRIX = {
  pair: { '4v9': { 'dataset.primary': [4, 9] }, '5v8': { 'dataset.primary': [5, 8] }, '3v5': { 'dataset.primary': [3, 5] }, '7v9': { 'dataset.primary': [7, 9] } },
  model: { relu: { 'train.model': 'MLPNet' }, linear: { 'train.model': 'MLPLinear' } },
  similarity: { relative: { 'similarity.use': ['relative'] }, kernelized: { 'similarity.use': ['kernelized'] } },
};

test('"i/n" reads as part i of n; anything else is one error naming --partition', () => {
  assert.deepEqual(parsePartition('1/4'), { index: 1, count: 4 });
  assert.deepEqual(parsePartition(' 3 / 3 '), { index: 3, count: 3 });
  for (const bad of ['0/4', '5/4', '1/0', '2', 'a/b', '1/2/3', '-1/2', '1.5/2', '']) {
    assert.throws(() => parsePartition(bad, { file: 'pipelines/x.json' }), (e: Error) => e.message === `pipelines/x.json: --partition: must be i/n with 1 ≤ i ≤ n (part i of n), e.g. 1/4; got "${bad}"`, bad);
  }
});

test('groups that divide evenly: each part gets whole data sets, and no instance is computed twice', async () => {
  // per pair: 1 data set, 2 models (train, probe), 4 similarities and clusterings = 13 instances; 52 in all
  const p = await plan({ ...BASE, matrix: MATRIX });
  assert.equal(p.instances.length, 52);
  const halves = partitionCombos(p.combos, 2);
  assert.deepEqual(twice(checkPartition(p, halves, 2)), []);
  assert.deepEqual(halves.map((part) => new Set(part.combos.map((c) => c.labels.pair))), [new Set(['4v9', '5v8']), new Set(['3v5', '7v9'])]);
  assert.deepEqual(halves.map((part) => part.instances.length), [26, 26]);
  const quarters = partitionCombos(p.combos, 4);
  assert.deepEqual(twice(checkPartition(p, quarters, 4)), []);
  assert.deepEqual(quarters.map((part) => [...new Set(part.combos.map((c) => c.labels.pair))]), [['4v9'], ['5v8'], ['3v5'], ['7v9']]);
});

test('three parts of four data sets: a cut moves to the edge of a trained model, so only data sets are computed twice (hand-checked)', async () => {
  const p = await plan({ ...BASE, matrix: MATRIX });
  const parts = partitionCombos(p.combos, 3);
  // Sorted, F (distinct instances so far) runs 5 7 11 13 | 18 20 24 26 | 31 33 37 39 | 44 46 50 52 per pair;
  // a cut inside a model splits data set, model and probe (3), between models only the data set (1).
  // Cut 1 aims at 52/3 = 17.33: F=18 costs 3 + 0.67, F=20 costs 1 + 2.67 (tie: fewer split), F=13 costs 0 + 4.33 -> F=20.
  // Cut 2 aims at 34.67: F=33 costs 1 + 1.67, F=39 costs 0 + 4.33 -> F=33.
  assert.deepEqual(parts.map(ids), [
    ['4v9.relu.relative', '4v9.relu.kernelized', '4v9.linear.relative', '4v9.linear.kernelized', '5v8.relu.relative', '5v8.relu.kernelized'],
    ['5v8.linear.relative', '5v8.linear.kernelized', '3v5.relu.relative', '3v5.relu.kernelized'],
    ['3v5.linear.relative', '3v5.linear.kernelized', '7v9.relu.relative', '7v9.relu.kernelized', '7v9.linear.relative', '7v9.linear.kernelized'],
  ]);
  const computed = checkPartition(p, parts, 3);
  assert.deepEqual(twice(computed).sort(), ['ingest-3v5._._', 'ingest-5v8._._']);
  assert.deepEqual(parts.map((x) => names(x.sharedWithEarlier)), [[], ['ingest-5v8._._'], ['ingest-3v5._._']]);
  assert.deepEqual(parts.map((x) => x.instances.length), [20, 14, 20]);
});

test('one data set under every model: it is the only instance two parts compute; no model is trained twice', async () => {
  const p = await plan({ ...BASE, matrix: { seed: { path: 'train.seed', values: [0, 1, 2, 3] } } });
  // 1 data set + 4 x (train, probe, similarity, cluster) = 17; F = 5 9 13 17, every cut splits the data set only
  const parts = partitionCombos(p.combos, 2);
  assert.deepEqual(parts.map(ids), [['0', '1'], ['2', '3']]);
  assert.deepEqual(twice(checkPartition(p, parts, 2)), ['ingest-']);
  assert.deepEqual(parts.map((x) => x.instances.length), [9, 9]);
});

test('a plain pipeline is part 1; fewer combinations than parts leave the last parts empty', async () => {
  const plain = await plan(BASE);
  const parts = partitionCombos(plain.combos, 3);
  checkPartition(plain, parts, 3);
  assert.deepEqual(parts.map((x) => x.combos.length), [1, 0, 0]);
  assert.deepEqual(parts.map((x) => x.instances.length), [5, 0, 0]);
  const two = await plan({ ...BASE, matrix: { seed: { path: 'train.seed', values: [0, 1] } } });
  assert.deepEqual(partitionCombos(two.combos, 3).map(ids), [['0'], ['1'], []]);
  assert.deepEqual(partitionCombos(two.combos, 1).map(ids), [['0', '1']]);
});

test('random matrices: disjoint parts that cover everything, an owner per instance, and the documented balance bound', async () => {
  const rng = createRng(17);
  const paths = ['dataset.seed', 'train.seed', 'train.width', 'probe.eta', 'ntk.kind', 'similarity.use', 'cluster.k', 'report.title'];
  let checked = 0;
  for (let trial = 0; trial < 60; trial++) {
    const withNtk = rng.next() < 0.3;
    const axes = rng.int(1, 3);
    const matrix: Record<string, object> = {};
    for (let a = 0; a < axes; a++) {
      const usable = paths.filter((path) => withNtk || !path.startsWith('ntk.'));
      matrix[`axis${a}`] = { path: usable[rng.int(0, usable.length - 1)], values: Array.from({ length: rng.int(1, 5) }, (_, v) => v) };
    }
    const p = await plan({ ...BASE, ...(withNtk ? { ntk: {} } : {}), report: {}, matrix });
    const count = rng.int(1, 6);
    const parts = partitionCombos(p.combos, count);
    const computed = checkPartition(p, parts, count);
    assert.equal([...computed.values()].reduce((a, b) => a + b, 0), p.instances.length + parts.reduce((n, x) => n + x.sharedWithEarlier.length, 0));
    // the bound of partitionCombos' comment, where no part is forced to stay non-empty
    const s = Math.max(...p.combos.map((c) => Object.keys(c.instances).length));
    const W = p.instances.length;
    if (W / count < 4 * s) continue;
    checked++;
    let before = 0;
    const seen = new Set<StageInstance>();
    for (const part of parts) {
      const fresh = part.instances.filter((i) => !seen.has(i)).length;
      for (const i of part.instances) seen.add(i);
      assert.ok(Math.abs(fresh - W / count) <= 3 * s, `trial ${trial}: part ${part.index} has ${fresh} own instances, W/n = ${W / count}, s = ${s}`);
      if (!withNtk) assert.ok(part.sharedWithEarlier.length <= s, `trial ${trial}: part ${part.index} recomputes ${part.sharedWithEarlier.length}`);
      before += fresh;
    }
    assert.equal(before, W);
  }
  assert.ok(checked >= 10, `the bound was checked on ${checked} matrices`);
});
