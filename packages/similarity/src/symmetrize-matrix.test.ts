import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ElasticityError } from '@elasticity/core';
import { assertOverIds, symmetrizeMatrix } from './symmetrize-matrix.ts';

test('symmetrise a hand 2x2 case: [[1,2],[4,3]] -> [[1,3],[3,3]]', () => {
  // (S + S^T)/2: off-diagonal (2 + 4)/2 = 3, diagonal unchanged.
  const m = { kind: 'relative', rowIds: Int32Array.of(7, 9), columnIds: Int32Array.of(7, 9), values: Float64Array.of(1, 2, 4, 3) };
  const s = symmetrizeMatrix(m, 'in.arrow');
  assert.deepEqual(Array.from(s.values), [1, 3, 3, 3]);
  assert.deepEqual(Array.from(s.rowIds), [7, 9]);
  assert.deepEqual(Array.from(m.values), [1, 2, 4, 3], 'input is not modified');
});

test('symmetrise rejects a matrix whose rows and columns are different examples', () => {
  const m = { kind: 'relative', rowIds: Int32Array.of(1, 2), columnIds: Int32Array.of(2, 1), values: new Float64Array(4) };
  assert.throws(() => symmetrizeMatrix(m, 'in.arrow'), (e: unknown) => e instanceof ElasticityError && /in\.arrow/.test(e.message) && e.field === 'id');
});

test('assertOverIds requires the primary ids in dataset order', () => {
  const m = { kind: 'ntk', rowIds: Int32Array.of(3, 5), columnIds: Int32Array.of(3, 5), values: new Float64Array(4) };
  assertOverIds(m, Int32Array.of(3, 5), 'f.arrow');
  assert.throws(() => assertOverIds(m, Int32Array.of(5, 3), 'f.arrow'), /row 0 is example 3, expected primary example 5/);
  assert.throws(() => assertOverIds(m, Int32Array.of(3, 5, 8), 'f.arrow'), /2 rows but the data set has 3 primary examples/);
});
