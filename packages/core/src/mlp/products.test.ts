import { test } from 'node:test';
import assert from 'node:assert/strict';
import { initBackend } from '../backend.ts';
import { createRng } from '../rng.ts';
import { createProducts } from './products.ts';

await initBackend('cpu');

function random(n: number, seed: number): Float64Array {
  const rng = createRng(seed);
  return Float64Array.from({ length: n }, () => rng.uniform(-1, 1));
}

/** max |C - C64| / (sum_p |A_ip||B_pj|) over all entries, with the float64 product as reference. */
function worstRelative(c: Float64Array, a: Float64Array, b: Float64Array, m: number, k: number, n: number, transposedB: boolean): number {
  let worst = 0;
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let exact = 0, abs = 0;
      for (let p = 0; p < k; p++) {
        const v = a[i * k + p] * (transposedB ? b[j * k + p] : b[p * n + j]);
        exact += v;
        abs += Math.abs(v);
      }
      worst = Math.max(worst, Math.abs(c[i * n + j] - exact) / abs);
    }
  }
  return worst;
}

test('float32 K-block products stay within their error bound, in this thread and in worker threads', async () => {
  const m = 37, k = 1100, n = 23;
  const a = random(m * k, 1), b = random(k * n, 2), bt = random(n * k, 3);
  for (const threads of [0, 2]) {
    const p = createProducts({ precision: 'float32', threads, blockK: 256 });
    const bound = p.errorBound(m, n, k);
    assert.ok(bound > 1e-5 && bound < 2e-5);
    const c = await p.ab(a, b, m, k, n);
    const ct = await p.abt(a, bt, m, n, k);
    const e1 = worstRelative(c, a, b, m, k, n, false), e2 = worstRelative(ct, a, bt, m, k, n, true);
    assert.ok(e1 < bound && e2 < bound, `threads ${threads}: ${e1}, ${e2} vs bound ${bound}`);
    // float32 rounding is visible: the products are not the float64 ones
    assert.ok(e1 > 1e-12);
    // A A^T: only the upper triangle is computed, the result is exactly symmetric
    const g = await p.abt(a, a, m, m, k);
    assert.ok(worstRelative(g, a, a, m, k, m, true) < bound, `threads ${threads}: Gram`);
    for (let i = 0; i < m; i++) for (let j = 0; j < i; j++) assert.equal(g[i * m + j], g[j * m + i]);
  }
  const exact = createProducts({ precision: 'float64' });
  assert.equal(exact.errorBound(m, n, k), 0);
  assert.ok(worstRelative(await exact.ab(a, b, m, k, n), a, b, m, k, n, false) < 1e-14);
  const auto = createProducts({ precision: 'auto', autoMinWork: 1e6 });
  assert.equal(auto.isFloat32(10, 10, 100), false);
  assert.equal(auto.isFloat32(100, 100, 100), true);
});
