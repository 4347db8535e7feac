import { test } from 'node:test';
import assert from 'node:assert/strict';
import { symmetrizeInPlace } from './symmetrize.ts';

test('symmetrizeInPlace averages off-diagonal pairs and keeps the diagonal', () => {
  assert.deepEqual(Array.from(symmetrizeInPlace(Float64Array.from([1, 2, 4, 3]), 2)), [1, 3, 3, 3]);
});
