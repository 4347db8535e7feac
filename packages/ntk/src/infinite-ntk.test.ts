import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRng } from '@elasticity/core';
import { reluExpectations, reluInfiniteNtk } from './infinite-ntk.ts';

/**
 * Empirical NTK of one random ReLU net of width H in NTK parameterisation
 * (all weights standard normal): h_1 = sw W_1 x / sqrt(d) + sb b_1,
 * h_{l+1} = sw W_{l+1} relu(h_l) / sqrt(H) + sb b_{l+1}, f = sw a.relu(h_L) / sqrt(H) + sb c,
 * summed over every parameter's gradient, by explicit backpropagation.
 */
function sampledNtk(x: Float64Array, n: number, depth: number, H: number, sw2: number, sb2: number, seed: number): Float64Array {
  const rng = createRng(seed);
  const d = x.length / n;
  const sw = Math.sqrt(sw2), sb = Math.sqrt(sb2);
  const widths = [d, ...new Array(depth).fill(H)];
  const Ws = Array.from({ length: depth }, (_, l) => Float64Array.from({ length: widths[l + 1] * widths[l] }, () => rng.normal()));
  const bs = Array.from({ length: depth }, () => Float64Array.from({ length: H }, () => rng.normal()));
  const a = Float64Array.from({ length: H }, () => rng.normal());
  // forward for each example: inputs of each layer (scaled) and pre-activations
  const passes = Array.from({ length: n }, (_, i) => {
    const ins: Float64Array[] = [];
    const pres: Float64Array[] = [];
    let z = x.slice(i * d, (i + 1) * d);
    for (let l = 0; l < depth; l++) {
      const fan = widths[l];
      const zin = z.map((v) => (sw * v) / Math.sqrt(fan));
      ins.push(zin);
      const h = Float64Array.from({ length: H }, (_, k) => {
        let v = sb * bs[l][k];
        for (let p = 0; p < fan; p++) v += Ws[l][k * fan + p] * zin[p];
        return v;
      });
      pres.push(h);
      z = h.map((v) => Math.max(v, 0));
    }
    const top = z.map((v) => (sw * v) / Math.sqrt(H));
    // backward: delta_l = df/dh_l
    const deltas: Float64Array[] = [];
    let up = a.map((v) => (sw * v) / Math.sqrt(H));
    for (let l = depth - 1; l >= 0; l--) {
      const delta = up.map((v, k) => (pres[l][k] > 0 ? v : 0));
      deltas[l] = delta;
      if (l > 0) {
        const fan = widths[l];
        up = new Float64Array(fan);
        for (let k = 0; k < H; k++) for (let p = 0; p < fan; p++) up[p] += (delta[k] * Ws[l][k * fan + p] * sw) / Math.sqrt(fan);
      }
    }
    return { ins, deltas, top };
  });
  const dot = (u: Float64Array, v: Float64Array) => u.reduce((s, t, k) => s + t * v[k], 0);
  const K = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      const P = passes[i], Q = passes[j];
      let v = dot(P.top, Q.top) + sb2;
      for (let l = 0; l < depth; l++) v += dot(P.deltas[l], Q.deltas[l]) * (dot(P.ins[l], Q.ins[l]) + sb2);
      K[i * n + j] = v;
    }
  }
  return K;
}

test('arc-cosine expectations equal Monte Carlo averages', () => {
  const rng = createRng(1);
  const [sxx, syy, sxy] = [1.3, 0.7, -0.4];
  // u = sqrt(sxx) g1, v = (sxy / sqrt(sxx)) g1 + sqrt(syy - sxy^2 / sxx) g2
  let k1 = 0, k0 = 0;
  const m = 400000;
  for (let t = 0; t < m; t++) {
    const g1 = rng.normal(), g2 = rng.normal();
    const u = Math.sqrt(sxx) * g1, v = (sxy / Math.sqrt(sxx)) * g1 + Math.sqrt(syy - (sxy * sxy) / sxx) * g2;
    k1 += Math.max(u, 0) * Math.max(v, 0);
    k0 += u > 0 && v > 0 ? 1 : 0;
  }
  const e = reluExpectations(sxx, syy, sxy);
  assert.ok(Math.abs(e.k1 - k1 / m) < 0.01 && Math.abs(e.k0 - k0 / m) < 0.01, `${JSON.stringify(e)} vs ${k1 / m}, ${k0 / m}`);
});

test('the infinite-width ReLU NTK is the limit of wide random networks (depth 0, 1, 2; with biases)', () => {
  const rng = createRng(3);
  const n = 4, d = 3;
  const x = Float64Array.from({ length: n * d }, () => rng.uniform(-1, 1));
  const depth0 = reluInfiniteNtk(x, n, 0, { sigmaB2: 0.5 });
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      let g = 0;
      for (let p = 0; p < d; p++) g += x[i * d + p] * x[j * d + p];
      assert.ok(Math.abs(depth0[i * n + j] - ((2 * g) / d + 0.5)) < 1e-15);
    }
  }
  // deeper kernels fluctuate more at finite width: average several networks
  for (const [depth, H, nets, tol] of [[1, 20000, 1, 0.03], [2, 1000, 6, 0.06]] as const) {
    const want = reluInfiniteNtk(x, n, depth, { sigmaB2: 0.5 });
    const got = new Float64Array(n * n);
    for (let s = 0; s < nets; s++) sampledNtk(x, n, depth, H, 2, 0.5, 7 + 10 * s + depth).forEach((v, q) => (got[q] += v / nets));
    for (let q = 0; q < n * n; q++) assert.ok(Math.abs(got[q] - want[q]) < tol * Math.abs(want[q]), `depth ${depth} entry ${q}: ${got[q]} vs ${want[q]}`);
    // symmetric, and a row shard is those rows
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) assert.equal(want[i * n + j], want[j * n + i]);
    assert.deepEqual(Array.from(reluInfiniteNtk(x, n, depth, { sigmaB2: 0.5, rows: [2] })), Array.from(want.subarray(2 * n, 3 * n)));
  }
});
