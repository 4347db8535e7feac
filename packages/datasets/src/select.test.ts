import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ElasticityError } from '@elasticity/core';
import { selectExamples, scalePixel } from './select.ts';
import type { SelectOptions } from './select.ts';
import { contiguousSplit } from './readers/image-split.ts';

// 60 examples of 2x2 "images"; label pattern cycles through 0..5; example i has pixels [i, 255 - i, 0, 255].
const labels = Uint8Array.from({ length: 60 }, (_, i) => [0, 4, 5, 7, 9, 4][i % 6]);
const pixels = new Uint8Array(60 * 4);
for (let i = 0; i < 60; i++) pixels.set([i, 255 - i, 0, 255], 4 * i);
const split = contiguousSplit([1, 2, 2], pixels, labels, 100);

const base: SelectOptions = {
  name: 'toy', primary: [4, 9], auxiliary: [5, 7], perClass: 5, auxiliaryCount: 10, seed: 0,
  file: 'toy-folder', perClassField: 'dataset.perClass', auxiliaryField: 'dataset.auxiliaryCount', splitName: 'train',
};

test('counts, roles, targets and first-in-order picks', () => {
  const ds = selectExamples(split, base);
  assert.equal(ds.ids.length, 20);
  assert.deepEqual(ds.inputShape, [1, 2, 2]);
  assert.equal(ds.d, 4);
  const byClass = (c: number) => [...ds.ids].filter((_, k) => ds.classes[k] === c).sort((a, b) => a - b);
  // First 5 of each primary class in dataset order (ids = 100 + index).
  const firstOf = (pred: (l: number) => boolean, n: number) =>
    [...labels.keys()].filter((i) => pred(labels[i])).slice(0, n).map((i) => 100 + i);
  assert.deepEqual(byClass(4), firstOf((l) => l === 4, 5));
  assert.deepEqual(byClass(9), firstOf((l) => l === 9, 5));
  // Auxiliary: the first 10 of the union {5, 7} in dataset order (not balanced per class).
  const aux = [...ds.ids].filter((_, k) => ds.roles[k] === 'auxiliary').sort((a, b) => a - b);
  assert.deepEqual(aux, firstOf((l) => l === 5 || l === 7, 10));
  assert.equal(byClass(0).length, 0);
  for (let k = 0; k < 20; k++) {
    const primary = ds.classes[k] === 4 || ds.classes[k] === 9;
    assert.equal(ds.roles[k], primary ? 'primary' : 'auxiliary');
    assert.equal(ds.target[k], primary ? 1 : 0);
    assert.equal(labels[ds.ids[k] - 100], ds.classes[k]);
  }
});

test('pixels scaled as (p/255 - 0.5)/0.5 and kept with their example', () => {
  const ds = selectExamples(split, base);
  for (let k = 0; k < ds.ids.length; k++) {
    const i = ds.ids[k] - 100;
    const row = Array.from(ds.x.subarray(4 * k, 4 * k + 4));
    const expected = [i, 255 - i, 0, 255].map((p) => Math.fround((p / 255 - 0.5) / 0.5));
    assert.deepEqual(row, expected);
    assert.equal(row[2], -1); // p = 0
    assert.equal(row[3], 1); // p = 255
  }
  assert.ok(Math.abs(scalePixel(51) - -0.6) < 1e-6);
  assert.equal(scalePixel(0), -1);
  assert.equal(scalePixel(255), 1);
});

test('shuffled deterministically by seed; other seeds give other orders of the same rows', () => {
  const a = selectExamples(split, base);
  const b = selectExamples(split, base);
  const c = selectExamples(split, { ...base, seed: 1 });
  assert.deepEqual(a.ids, b.ids);
  assert.deepEqual(a.x, b.x);
  assert.notDeepEqual(a.ids, c.ids);
  assert.deepEqual([...a.ids].sort(), [...c.ids].sort());
  // Shuffled: not all primary rows first.
  assert.notDeepEqual(a.roles, [...a.roles].sort().reverse());
});

test('too few examples and unknown classes give one ElasticityError naming the field', () => {
  assert.throws(
    () => selectExamples(split, { ...base, perClass: 11 }),
    (e: unknown) => e instanceof ElasticityError && e.file === 'toy-folder' && e.field === 'dataset.perClass' && /class 9 has 10 examples/.test(e.message),
  );
  assert.throws(
    () => selectExamples(split, { ...base, auxiliaryCount: 21 }),
    (e: unknown) => e instanceof ElasticityError && e.field === 'dataset.auxiliaryCount' && /have 20 examples/.test(e.message),
  );
  assert.throws(
    () => selectExamples(split, { ...base, primary: [4, 3] }),
    (e: unknown) => e instanceof ElasticityError && /class 3 has 0 examples/.test(e.message),
  );
});
