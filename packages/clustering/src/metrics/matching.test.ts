import { test } from 'node:test';
import assert from 'node:assert/strict';
import { bestMatching } from './matching.ts';

test('Hungarian matching on a hand 3x3 case where the greedy choice is wrong', () => {
  // Greedy would take the 7 at (0,0), then (1,1) = 1 and (2,2) = 3: total 11.
  // All six permutations (column of row 0, 1, 2):
  //   (0,1,2): 7+1+3 = 11   (0,2,1): 7+0+0 = 7   (1,0,2): 6+6+3 = 15
  //   (1,2,0): 6+0+0 = 6    (2,0,1): 0+6+0 = 6   (2,1,0): 0+1+0 = 1
  // The best is rows -> columns 1, 0, 2 with total 15.
  const m = bestMatching([[7, 6, 0], [6, 1, 0], [0, 0, 3]]);
  assert.equal(m.total, 15);
  assert.deepEqual(m.pairs, [[0, 1], [1, 0], [2, 2]]);
});

test('Hungarian matching on rectangular tables leaves the extra row or column unmatched', () => {
  // 3 clusters, 2 classes: best is row 2 -> col 0 (5) and row 0 -> col 1 (4) = 9, row 1 unmatched.
  const m = bestMatching([[1, 4], [2, 2], [5, 1]]);
  assert.equal(m.total, 9);
  assert.deepEqual(m.pairs, [[0, 1], [2, 0]]);
  // 2 clusters, 3 classes: row 0 -> col 2 (6), row 1 -> col 0 (3) = 9.
  const t = bestMatching([[1, 0, 6], [3, 2, 5]]);
  assert.equal(t.total, 9);
  assert.deepEqual(t.pairs, [[0, 2], [1, 0]]);
});
