import { test } from 'node:test';
import assert from 'node:assert/strict';
import { initBackend, createRng, matMulABt } from '@elasticity/core';
import { activate, activationSlope } from './activation.ts';
import type { HiddenActivation } from './dense-mlp.ts';
import { gatherKMajorBlock, mappedRow } from './float32-blocks.ts';
import type { MlpLayer } from './mlp-net.ts';
import { createProducts } from './products.ts';
import { onnxMatMul } from './float32-kernel.ts';
import type { KernelChoice } from './float32-kernel.ts';
import { DEFAULT_BLOCK_K, float32BlockErrorBound } from './float32-blocks.ts';

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

/** (index, value) pairs sorted by index (tiles list theirs in any order). */
function sortedPairs(list: Float64Array | undefined): number[][] {
  const out: number[][] = [];
  if (list) for (let t = 0; t < list.length; t += 2) out.push([list[t], list[t + 1]]);
  return out.sort((p, q) => p[0] - q[0]);
}

test('float32 K-block products stay within their error bound, in this thread and in worker threads, with each kernel', async () => {
  const m = 37, k = 1100, n = 23;
  const a = random(m * k, 1), b = random(k * n, 2), bt = random(n * k, 3);
  const kernels: KernelChoice[] = (await onnxMatMul()) ? ['tfjs', 'onnx'] : ['tfjs'];
  for (const [threads, kernel] of [0, 2].flatMap((t) => kernels.map((c) => [t, c] as const))) {
    const p = createProducts({ precision: 'float32', threads, blockK: 256, kernel });
    const bound = p.errorBound(m, n, k);
    assert.ok(bound > 1e-5 && bound < 2e-5);
    const c = await p.ab(a, b, m, k, n);
    const ct = await p.abt(a, bt, m, n, k);
    const e1 = worstRelative(c, a, b, m, k, n, false), e2 = worstRelative(ct, a, bt, m, k, n, true);
    assert.ok(e1 < bound && e2 < bound, `threads ${threads}, ${kernel}: ${e1}, ${e2} vs bound ${bound}`);
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

test('implicit left factors (SupportMap) and a given float32 B^T give the product of the materialised matrices', async () => {
  const m = 29, n = 31, k = 700;
  const s = random(m * k, 4), b = random(n * k, 5);
  const rng = createRng(6);
  const map = { p: random(k, 7), q: Float64Array.from({ length: m }, () => rng.uniform(0, 0.1)), r: random(k, 8) };
  const a = new Float64Array(m * k);
  for (let i = 0; i < m; i++) mappedRow(s, i, k, map, a, 0, k, i * k);
  // the map: S_ik > 0 gives p_k - q_i r_k S_ik, else 0
  assert.equal(a[0], s[0] > 0 ? map.p[0] - map.q[0] * map.r[0] * s[0] : 0);
  const exact = matMulABt(a, b, m, n, k);
  assert.deepEqual(await createProducts({ precision: 'float64' }).abt(s, b, m, n, k, { map }), exact);
  const bT = new Float32Array(k * n);
  for (let j = 0; j < n; j++) for (let p = 0; p < k; p++) bT[p * n + j] = b[j * k + p];
  for (const threads of [0, 2]) {
    const p32 = createProducts({ precision: 'float32', threads, blockK: 256 });
    const bound = p32.errorBound(m, n, k);
    for (const got of [await p32.abt(s, b, m, n, k, { map }), await p32.abt(s, undefined, m, n, k, { map, bT })]) {
      assert.ok(worstRelative(got, a, b, m, k, n, true) < bound, `threads ${threads}`);
    }
  }
});

test('k-major left factors: blocks gathered (strips, odd sizes, chosen columns, a map) as the row-major ones; products within the bound, symmetric ones exactly symmetric', async () => {
  const rng = createRng(13);
  const lda = 45, k = 70;
  // k-major S (k x lda) with zeros, as ReLU activations
  const aT = Float32Array.from({ length: k * lda }, () => Math.max(0, rng.uniform(-1, 1)));
  const cols = Int32Array.from([44, 3, 3, 17, 0, 38, 21, 9, 40, 2, 33, 12, 5, 30, 27, 1, 8, 41, 19, 6, 25, 36, 14, 43, 11, 29, 16, 34, 7, 23, 42, 10, 31, 4, 39]);
  const m = cols.length;
  const map = { p: random(k, 14), q: Float64Array.from({ length: m }, () => rng.uniform(0, 0.1)), r: random(k, 15) };
  // the same A row-major (float64 copies of the float32 values)
  const rowMajor = new Float64Array(m * k);
  for (let i = 0; i < m; i++) for (let p = 0; p < k; p++) rowMajor[i * k + p] = aT[p * lda + cols[i]];
  for (const useMap of [false, true]) {
    for (const [r0, rows, k0, kb] of [[0, m, 0, k], [3, 32, 5, 64], [34, 1, 69, 1]]) {
      const got = new Float32Array(rows * kb), want = new Float32Array(rows * kb);
      gatherKMajorBlock({ values: aT, lda, cols }, r0, rows, k0, kb, useMap ? map : undefined, got);
      for (let i = 0; i < rows; i++) mappedRow(rowMajor, r0 + i, k, useMap ? map : undefined, want, k0, kb, i * kb);
      assert.deepEqual(got, want, `map ${useMap}, rows ${r0}+${rows}, k ${k0}+${kb}`);
    }
  }
  const b = random(lda * k, 16);
  const bT = new Float32Array(k * lda);
  for (let j = 0; j < lda; j++) for (let p = 0; p < k; p++) bT[p * lda + j] = b[j * k + p];
  const a = new Float64Array(m * k);
  for (let i = 0; i < m; i++) mappedRow(rowMajor, i, k, map, a, 0, k, i * k);
  // (blockK 16: 5 K-blocks, added into the result four at a time, then one)
  for (const threads of [0, 2]) {
    const p32 = createProducts({ precision: 'float32', threads, blockK: 16 });
    const bound = p32.errorBound(m, lda, k);
    const got = await p32.abt(undefined, undefined, m, lda, k, { aT, aCols: cols, bT, map });
    assert.ok(worstRelative(got, a, b, m, k, lda, true) < bound, `threads ${threads}`);
    // all columns in order: S S^T, computed as an upper triangle and mirrored
    const full = new Float64Array(lda * k);
    for (let i = 0; i < lda; i++) for (let p = 0; p < k; p++) full[i * k + p] = aT[p * lda + i];
    const gram = await p32.abt(undefined, undefined, lda, lda, k, { aT, bT: aT });
    assert.ok(worstRelative(gram, full, full, lda, k, lda, true) < bound, `threads ${threads}: Gram`);
    for (let i = 0; i < lda; i++) for (let j = 0; j < i; j++) assert.equal(gram[i * lda + j], gram[j * lda + i]);
    // aCols listing every column in order is the same product (recognised as symmetric too)
    const identity = Int32Array.from({ length: lda }, (_, i) => i);
    assert.deepEqual(await p32.abt(undefined, undefined, lda, lda, k, { aT, aCols: identity, bT: aT }), gram);
    // the float64 products of the same values, for small sizes too: k-major operands always run as float32 blocks
    const auto = createProducts({ precision: 'auto', threads });
    assert.equal(auto.isFloat32(m, lda, k), false);
    assert.ok(worstRelative(await auto.abt(undefined, undefined, m, lda, k, { aT, aCols: cols, bT, map }), a, b, m, k, lda, true) < float32BlockErrorBound(DEFAULT_BLOCK_K));
  }
  await assert.rejects(createProducts({ precision: 'float32', threads: 0 }).abt(undefined, undefined, m + 1, lda, k, { aT, aCols: cols, bT }), /no A/);
});

test('a layer as float32 tiles: pre-activations within the bound, ReLU masks the float64 ones, k-major copies and readout parts', async () => {
  const n = 40, d = 300, units = 50;
  const rng = createRng(9);
  const x = Float32Array.from({ length: n * d }, () => rng.uniform(-1, 1));
  const readout = random(units, 10);
  for (const activation of ['relu', 'sigmoid', 'linear'] as HiddenActivation[]) {
    const layer: MlpLayer = { inputs: d, units, activation, W: random(units * d, 11), b: random(units, 12) };
    // units 0..9: biases that put example 0 (up to float64 rounding) at 0, where float32 sums get the sign wrong
    for (let u = 0; u < 10; u++) {
      let h = 0;
      for (let p = 0; p < d; p++) h += layer.W[u * d + p] * x[p];
      layer.b[u] = -h;
    }
    // units 40..49: off at every example (a ReLU layer's Grams then skip them)
    if (activation === 'relu') for (let u = 40; u < units; u++) layer.b[u] = -1e3;
    const want = matMulABt(x, layer.W, n, units, d);
    for (let j = 0; j < n; j++) for (let u = 0; u < units; u++) want[j * units + u] += layer.b[u];
    for (const threads of [0, 2]) {
      const p32 = createProducts({ precision: 'float32', threads, blockK: 128 });
      const got = (await p32.layer(layer, x, n, { masks: true, readout, back: true, nearZero: true }))!;
      const pre = got.pre!, act = got.act!, back = got.back!;
      // without the row-major outputs: the same k-major ones, list and readout parts, bit for bit
      const lean = (await p32.layer(layer, x, n, { masks: true, readout, back: true, nearZero: true, rowMajor: false }))!;
      assert.equal(lean.pre, undefined);
      assert.equal(lean.act, undefined);
      assert.equal(lean.back, undefined);
      assert.deepEqual(lean.actT, got.actT);
      assert.deepEqual(lean.maskT, got.maskT);
      assert.deepEqual(lean.backT, got.backT);
      assert.deepEqual(lean.readoutDot, got.readoutDot);
      assert.deepEqual(lean.wNorm, got.wNorm);
      assert.deepEqual(sortedPairs(lean.nearZero), sortedPairs(got.nearZero));
      // what the fast probe asks for (no backward vectors): the same again
      const probe = (await p32.layer(layer, x, n, { masks: true, readout, nearZero: true, rowMajor: false }))!;
      assert.deepEqual(probe.actT, got.actT);
      assert.deepEqual(probe.maskT, got.maskT);
      assert.equal(probe.backT, undefined);
      assert.deepEqual(probe.readoutDot, got.readoutDot);
      assert.deepEqual(sortedPairs(probe.nearZero), sortedPairs(got.nearZero));
      if (activation === 'relu') {
        // the listed entries near 0: exactly those within 4 bound |z_j| |W_k|, with their h
        const listed = new Map<number, number>();
        for (let t = 0; t < got.nearZero!.length; t += 2) listed.set(got.nearZero![t], got.nearZero![t + 1]);
        let expected = 0;
        for (let j = 0; j < n; j++) {
          let zn = 0;
          for (let p = 0; p < d; p++) zn += x[j * d + p] ** 2;
          for (let u = 0; u < units; u++) {
            let wn = 0;
            for (let p = 0; p < d; p++) wn += layer.W[u * d + p] ** 2;
            assert.ok(Math.abs(got.wNorm![u] - Math.sqrt(wn)) < 1e-12);
            const q = j * units + u;
            const zone = 4 * got.bound * Math.sqrt(zn) * Math.sqrt(wn);
            if (Math.abs(pre[q]) < 0.999 * zone) {
              expected++;
              assert.equal(listed.get(q), pre[q], `near zero ${j},${u}`);
            } else if (Math.abs(pre[q]) > 1.001 * zone) assert.ok(!listed.has(q));
          }
        }
        // (units 0..9 sit at 0 for example 0, at least)
        assert.ok(expected >= 10 && listed.size >= expected);
        // the units active at some example, and Grams over those only
        const active = Array.from({ length: units }, (_, u) => u).filter((u) => Array.from({ length: n }, (_, j) => want[j * units + u] > 0).some(Boolean));
        assert.ok(active.length <= 40);
        assert.deepEqual(Array.from(got.active!), active);
        assert.deepEqual(lean.active, got.active);
        assert.deepEqual(probe.active, got.active);
        const ss = await p32.abt(undefined, undefined, n, n, units, { aT: got.actT, bT: got.actT, kRows: got.active });
        const gramBound = p32.errorBound(n, n, units) + 2 ** -22;
        for (let i = 0; i < n; i++) {
          for (let j = 0; j < n; j++) {
            let exact = 0, abs = 0;
            for (let u = 0; u < units; u++) {
              exact += act[i * units + u] * act[j * units + u];
              abs += Math.abs(act[i * units + u] * act[j * units + u]);
            }
            assert.ok(Math.abs(ss[i * n + j] - exact) <= gramBound * abs, `Gram over the active units ${i},${j}`);
          }
        }
      } else assert.equal(got.active, undefined);
      const bound = got.bound;
      assert.ok(bound >= p32.errorBound(n, units, d) && bound < 1e-5);
      for (let j = 0; j < n; j++) {
        let dot = 0;
        for (let u = 0; u < units; u++) {
          const q = j * units + u, t = u * n + j;
          let scale = Math.abs(layer.b[u]);
          for (let p = 0; p < d; p++) scale += Math.abs(layer.W[u * d + p] * x[j * d + p]);
          assert.ok(Math.abs(pre[q] - want[q]) <= bound * scale, `${activation} pre ${j},${u}`);
          if (activation === 'relu') {
            assert.equal(pre[q] > 0, want[q] > 0, `mask ${j},${u}`);
            assert.equal(got.maskT![t], want[q] > 0 ? 1 : 0);
          }
          // (=== : 0 and -0 are the same value here)
          assert.ok(act[q] === activate(activation, pre[q]));
          assert.ok(got.actT[t] === Math.fround(act[q]));
          assert.ok(back[q] === readout[u] * activationSlope(activation, pre[q]));
          assert.ok(got.backT![t] === Math.fround(back[q]));
          dot += readout[u] * act[q];
        }
        assert.ok(Math.abs(got.readoutDot![j] - dot) < 1e-12, `${activation} readout ${j}`);
      }
    }
    assert.equal(await createProducts({ precision: 'float64' }).layer(layer, x, n), undefined);
  }
});

test('precisionRows: a block of rows with the whole product\'s precisionRows equals those rows of the whole product bit for bit under "auto"; alone it may take the other precision', async () => {
  const m = 120, n = 100, k = 300;
  const a = random(m * k, 21), b = random(n * k, 22);
  // whole: 120 x 100 x 300 = 3.6e6 >= 1e6, float32 blocks; a block of 20 rows: 6e5 < 1e6, float64 on its own
  const auto = createProducts({ precision: 'auto', autoMinWork: 1e6 });
  const whole = await auto.abt(a, b, m, n, k);
  const rows = a.subarray(40 * k, 60 * k);
  const block = await auto.abt(rows, b, 20, n, k, { precisionRows: m });
  assert.deepEqual(block, whole.subarray(40 * n, 60 * n));
  const alone = await auto.abt(rows, b, 20, n, k);
  assert.deepEqual(alone, await createProducts({ precision: 'float64' }).abt(rows, b, 20, n, k), 'alone, the block is a float64 product');
  assert.notDeepEqual(alone, block);
});
