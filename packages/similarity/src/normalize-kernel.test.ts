import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ElasticityError, createRng, matMulABt, symmetrizeInPlace } from '@elasticity/core';
import { normalizeKernel } from './normalize-kernel.ts';

test('normalised kernel of a hand 2 x 2 case: [[4, 2], [2, 9]] -> [[1, 1/3], [1/3, 1]]', () => {
  // 2 / sqrt(4 * 9) = 2 / 6 = 1/3.
  const k = Float64Array.of(4, 2, 2, 9);
  assert.deepEqual(Array.from(normalizeKernel(k, 2, {})), [1, 1 / 3, 1 / 3, 1]);
  assert.deepEqual(Array.from(k), [4, 2, 2, 9], 'input untouched unless out is the input');
  normalizeKernel(k, 2, {}, k);
  assert.deepEqual(Array.from(k), [1, 1 / 3, 1 / 3, 1]);
});

test('the normalised linear kernel is the cosine of the feature vectors', () => {
  const rng = createRng(4);
  const n = 6, d = 3;
  const x = Float64Array.from({ length: n * d }, () => rng.normal());
  const k = normalizeKernel(matMulABt(x, x, n, n, d), n, {});
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      const a = x.subarray(i * d, i * d + d), b = x.subarray(j * d, j * d + d);
      const cos = (a[0] * b[0] + a[1] * b[1] + a[2] * b[2]) / (Math.hypot(...a) * Math.hypot(...b));
      assert.ok(Math.abs(k[i * n + j] - cos) < 1e-14);
    }
  }
});

test('a non-positive diagonal entry is a clear error naming file and field', () => {
  for (const bad of [0, -2]) {
    assert.throws(
      () => normalizeKernel(Float64Array.of(1, 0.5, 0.5, bad), 2, { file: 'ntk.arrow', field: 'row' }),
      (e: unknown) => e instanceof ElasticityError && new RegExp(`^ntk\\.arrow: row: normalising a kernel needs a positive diagonal, but K\\(1, 1\\) = ${bad}`).test(e.message),
    );
  }
});

test('symmetrise in place: [[1, 2], [4, 3]] -> [[1, 3], [3, 3]]', () => {
  const m = Float64Array.of(1, 2, 4, 3);
  assert.equal(symmetrizeInPlace(m, 2), m);
  assert.deepEqual(Array.from(m), [1, 3, 3, 3]);
});
