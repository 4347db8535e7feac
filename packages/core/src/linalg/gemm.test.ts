import { test } from 'node:test';
import assert from 'node:assert/strict';
import { dot, matMul, matMulABt, rowNorms } from './gemm.ts';
import { createRng } from '../rng.ts';

function random(n: number, seed: number): Float64Array {
  const rng = createRng(seed);
  return Float64Array.from({ length: n }, () => rng.uniform(-1, 1));
}

test('matMulABt equals the triple loop on odd sizes (block edges)', () => {
  const m = 67, n = 71, k = 13;
  const a = random(m * k, 1), b = random(n * k, 2);
  const c = matMulABt(a, b, m, n, k);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let p = 0; p < k; p++) s += a[i * k + p] * b[j * k + p];
      assert.ok(Math.abs(c[i * n + j] - s) < 1e-12);
      assert.ok(Math.abs(dot(a, i * k, b, j * k, k) - s) < 1e-12);
    }
  }
});

test('rowNorms: 3-4-5 and 1-2-2 rows, and a zero row', () => {
  assert.deepEqual(Array.from(rowNorms(Float64Array.from([3, 4, 0, 1, 2, 2, 0, 0, 0]), 3, 3)), [5, 3, 0]);
  assert.deepEqual(Array.from(rowNorms(Float32Array.from([3, 4]), 2, 1)), [3, 4]);
});

test('matMul on a hand case', () => {
  // [1 2; 3 4] [5 6; 7 8] = [19 22; 43 50]
  assert.deepEqual(Array.from(matMul(Float64Array.from([1, 2, 3, 4]), Float64Array.from([5, 6, 7, 8]), 2, 2, 2)), [19, 22, 43, 50]);
});
