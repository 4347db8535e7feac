import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ElasticityError, createRng } from '@elasticity/core';
import { elasticNeighbours } from './elastic-neighbours.ts';

/** The oracle: row i's other entries as [id, value] pairs, sorted by value (descending or ascending), then id. */
function sortedRow(values: Float64Array, ids: Int32Array, i: number, descending: boolean): Array<[number, number]> {
  const n = ids.length;
  const pairs: Array<[number, number]> = [];
  for (let j = 0; j < n; j++) if (j !== i) pairs.push([ids[j], values[i * n + j]]);
  return pairs.sort(([ia, va], [ib, vb]) => {
    if (va !== vb) return descending ? (va > vb ? -1 : 1) : (va < vb ? -1 : 1);
    return ia - ib;
  });
}

test('a hand-checked 4 x 4 row with ties: most moved by value then id, least moved ascending then id, itself left out', () => {
  const ids = Int32Array.of(40, 10, 30, 20);
  // Row of id 40: itself 9 (the largest, left out), 10 -> 0.5, 30 -> 0.5, 20 -> 0.1.
  const values = Float64Array.of(
    9, 0.5, 0.5, 0.1,
    1, 1, 1, 1,
    0, -2, 3, -2,
    7, 7, 7, 7,
  );
  const n1 = elasticNeighbours(values, ids, 1, 'relative');
  // Rows 10 and 20 are all ties: both lists start at the smallest other id.
  assert.deepEqual(Array.from(n1.neighbourIds), [10, 20, 20, 20, 40, 10, 10, 10]);
  assert.deepEqual(Array.from(n1.values), [0.5, 0.1, 1, 1, 0, -2, 7, 7]);
  const n2 = elasticNeighbours(values, ids, 2, 'relative');
  // Row 40: top 10, 30 (0.5 tie, id order); bottom 20 (0.1), then 10 (0.5, the smaller id of the tie).
  assert.deepEqual(Array.from(n2.neighbourIds.subarray(0, 4)), [10, 30, 20, 10]);
  // Row 30: values 40 -> 0, 10 -> -2, 20 -> -2; top 40, then 10 (tie at -2, id order); bottom 10, 20.
  assert.deepEqual(Array.from(n2.neighbourIds.subarray(8, 12)), [40, 10, 10, 20]);
  assert.deepEqual(Array.from(n2.values.subarray(8, 12)), [0, -2, -2, -2]);
});

test('neighbours equal an independent sort of every matrix row (random values with ties, every k)', () => {
  const rng = createRng(5);
  const n = 12;
  // Ids out of order (100 + 7 * (5i mod 12)), so that id order is not row order.
  const shuffledIds = Int32Array.from({ length: n }, (_, i) => 100 + 7 * ((i * 5) % n));
  // Values on a coarse grid, so that many entries tie.
  const values = Float64Array.from({ length: n * n }, () => Math.round(rng.uniform(-3, 3)) / 2);
  for (let k = 1; k <= n - 1; k++) {
    const got = elasticNeighbours(values, shuffledIds, k, 'kernelized');
    assert.equal(got.k, k);
    assert.deepEqual(got.ids, shuffledIds);
    for (let i = 0; i < n; i++) {
      const top = sortedRow(values, shuffledIds, i, true).slice(0, k);
      const bottom = sortedRow(values, shuffledIds, i, false).slice(0, k);
      const row = (a: Int32Array | Float64Array) => Array.from(a.subarray(i * 2 * k, (i + 1) * 2 * k));
      assert.deepEqual(row(got.neighbourIds), [...top, ...bottom].map(([id]) => id), `row ${i}, k ${k}`);
      assert.deepEqual(row(got.values), [...top, ...bottom].map(([, v]) => v), `row ${i}, k ${k}`);
    }
  }
});

test('k above the n - 1 other examples, or below 1, is a clear error naming the field', () => {
  const values = new Float64Array(9);
  const ids = Int32Array.of(1, 2, 3);
  for (const k of [3, 0]) {
    assert.throws(() => elasticNeighbours(values, ids, k, 'relative', { file: 'p.json', field: 'similarity.neighbours.k' }), (e: unknown) =>
      e instanceof ElasticityError && e.message === `p.json: similarity.neighbours.k: k = ${k} but each of the 3 probed examples has 2 other examples: k must be between 1 and 2`);
  }
});
