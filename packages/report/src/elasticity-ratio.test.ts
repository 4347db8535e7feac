import { test } from 'node:test';
import assert from 'node:assert/strict';
import { elasticityRatio } from './elasticity-ratio.ts';

test('a hand-checked 4 x 4 case: classes [0, 0, 1, 1]', () => {
  // within pairs (0,1) (1,0) (2,3) (3,2): 4, 2, 6, 8 -> 5; between: the other 8 off-diagonal entries, sum 20 -> 2.5
  const S = [
    9, 4, 1, 2,
    2, 9, 3, 4,
    1, 1, 9, 6,
    5, 3, 8, 9,
  ];
  assert.deepEqual(elasticityRatio(S, [0, 0, 1, 1]), { within: 5, between: 2.5, ratio: 2 });
});

test('the diagonal does not count, a positive scale does not change the ratio, and a matrix without class structure gives 1', () => {
  const classes = [0, 1, 0, 1, 1];
  const S = Array.from({ length: 25 }, (_, q) => ((q * 7) % 11) + 1);
  const r = elasticityRatio(S, classes);
  const diagonalChanged = S.map((v, q) => (q % 6 === 0 ? v * 1000 : v));
  assert.deepEqual(elasticityRatio(diagonalChanged, classes), r);
  const scaled = elasticityRatio(S.map((v) => v * 3.5), classes);
  assert.ok(Math.abs(scaled.ratio! - r.ratio!) < 1e-12);
  assert.equal(elasticityRatio(Array(25).fill(0.7), classes).ratio, 1);
});

test('no between-class pairs, or a between-class mean that is not positive: no ratio', () => {
  assert.equal(elasticityRatio([1, 2, 3, 4], [0, 0]).ratio, null);
  assert.equal(elasticityRatio([1, -1, -1, 1], [0, 1]).ratio, null);
  assert.throws(() => elasticityRatio([1, 2, 3], [0, 1]), /3 values for 2 examples/);
});
