import { test } from 'node:test';
import assert from 'node:assert/strict';
import { pearson, ranks, spearman } from './correlation.ts';
import { binnedMeans } from './binned.ts';
import { summarize } from '@elasticity/core';

const close = (a: number, b: number, tol = 1e-12) => assert.ok(Math.abs(a - b) <= tol, `${a} vs ${b}`);

test('pearson: exact lines give ±1, a hand-computed case, constants give NaN', () => {
  close(pearson([1, 2, 3, 4], [3, 5, 7, 9]), 1);
  close(pearson([1, 2, 3, 4], [8, 6, 4, 2]), -1);
  // x = 1,2,3; y = 1,3,2: means 2, 2; sxy = (-1)(-1) + 0 + (1)(0) = 1; sxx = 2; syy = 2 -> 0.5
  close(pearson([1, 2, 3], [1, 3, 2]), 0.5);
  assert.ok(Number.isNaN(pearson([1, 1, 1], [1, 2, 3])));
  // Invariant under positive affine maps of either variable.
  close(pearson([0.3, 1.7, -2, 5], [1, 4, 2, 3]), pearson([0.3, 1.7, -2, 5].map((v) => 10 * v - 4), [1, 4, 2, 3]));
});

test('ranks average ties; spearman sees any monotone relation as ±1', () => {
  assert.deepEqual([...ranks([10, 20, 20, 5])], [2, 3.5, 3.5, 1]);
  const x = [0.1, 0.5, 0.9, 1.3, 2.0, 3.1];
  close(spearman(x, x.map((v) => Math.exp(-v))), -1);
  close(spearman(x, x.map((v) => v ** 3)), 1);
  // Ranks of y = 1,3,2 against 1,2,3: same as the pearson case above.
  close(spearman([5, 6, 7], [10, 30, 20]), 0.5);
});

test('binned means: equal-width bins, mean and sample sd of each, empty bins NaN', () => {
  const x = [0, 1, 2, 3, 4, 10];
  const y = [1, 3, 5, 7, 9, 100];
  const bins = binnedMeans(x, y, 5);
  assert.equal(bins.length, 5);
  assert.deepEqual(bins.map((b) => b.count), [2, 2, 1, 0, 1]);
  assert.deepEqual(bins.map((b) => [b.lo, b.hi]), [[0, 2], [2, 4], [4, 6], [6, 8], [8, 10]]);
  close(bins[0].mean, 2);
  close(bins[0].sd, Math.SQRT2); // values 1, 3: sd sqrt(((1-2)^2 + (3-2)^2) / 1)
  close(bins[1].mean, 6);
  assert.equal(bins[2].sd, 0);
  assert.ok(Number.isNaN(bins[3].mean));
  assert.equal(bins[4].mean, 100, 'the maximum falls into the last bin');
  assert.equal(bins.reduce((s, b) => s + b.count, 0), x.length);
});

test('summaries: mean and sample sd (divisor m - 1), 0 for one value', () => {
  // 1, 2, 6: mean 3, squared deviations 4 + 1 + 9 = 14, sd = sqrt(14 / 2) = sqrt(7).
  const s = summarize([1, 2, 6]);
  assert.equal(s.mean, 3);
  assert.ok(Math.abs(s.sd - Math.sqrt(7)) < 1e-15);
  assert.deepEqual(s.values, [1, 2, 6]);
  assert.deepEqual(summarize([0.4]), { mean: 0.4, sd: 0, values: [0.4] });
  assert.throws(() => summarize([]), RangeError);
});
