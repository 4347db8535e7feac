import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tInterval95, tQuantile975 } from './t-interval.ts';

const close = (a: number, b: number, tol: number) => assert.ok(Math.abs(a - b) <= tol, `${a} vs ${b}`);

test('t(0.975; df): the tabled values, and the expansion above 30 within 1e-5 of scipy.stats.t.ppf', () => {
  assert.equal(tQuantile975(1), 12.706205);
  assert.equal(tQuantile975(2), 4.302653);
  assert.equal(tQuantile975(30), 2.042272);
  // scipy.stats.t.ppf(0.975, df) for df = 31, 40, 60, 120, 1000.
  for (const [df, t] of [[31, 2.039513], [40, 2.021075], [60, 2.000298], [120, 1.97993], [1000, 1.962339]]) close(tQuantile975(df), t, 1e-5);
  assert.throws(() => tQuantile975(0), RangeError);
  assert.throws(() => tQuantile975(2.5), RangeError);
});

test('95% t-interval: mean ± t(0.975; n - 1) sd / sqrt(n); none for one value', () => {
  // 0.90, 0.92, 0.97: mean 0.93, sd sqrt(0.0013) = 0.0360555; half width 4.302653 * 0.0360555 / sqrt(3) = 0.0895669.
  const ci = tInterval95([0.90, 0.92, 0.97])!;
  close(ci.low, 0.8404331, 1e-7);
  close(ci.high, 1.0195669, 1e-7);
  // Two values 0.5, 0.6: sd 0.0707107, half width 12.706205 * 0.0707107 / sqrt(2) = 0.6353102.
  const two = tInterval95([0.5, 0.6])!;
  close(two.low, -0.0853102, 1e-7);
  close(two.high, 1.1853102, 1e-7);
  assert.equal(tInterval95([0.7]), undefined);
  assert.deepEqual(tInterval95([0.7, 0.7]), { low: 0.7, high: 0.7 });
});
