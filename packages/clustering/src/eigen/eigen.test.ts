import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRng, matMulABt } from '@elasticity/core';
import { blockKrylovTopEigenpairs } from './block-krylov.ts';
import { denseTopEigenpairs } from './dense-eigen.ts';
import { denseBlockProduct, denseOperator, normalizedAffinityOperator } from './symmetric-operator.ts';
import { topEigenpairs } from './top-eigenpairs.ts';
import { memoryRows } from '../matrix-rows.ts';

/** A random symmetric n x n matrix Q diag(lambda) Q^T with the given spectrum (Q from Gram-Schmidt of a Gaussian matrix). */
function withSpectrum(lambda: number[], seed: number): Float64Array {
  const n = lambda.length;
  const rng = createRng(seed);
  const q: Float64Array[] = [];
  for (let c = 0; c < n; c++) {
    const v = Float64Array.from({ length: n }, () => rng.normal());
    for (let pass = 0; pass < 2; pass++) {
      for (const u of q) {
        let d = 0;
        for (let i = 0; i < n; i++) d += v[i] * u[i];
        for (let i = 0; i < n; i++) v[i] -= d * u[i];
      }
    }
    const norm = Math.hypot(...v);
    q.push(v.map((x) => x / norm));
  }
  const s = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) for (let c = 0; c < n; c++) s[i * n + j] += q[c][i] * lambda[c] * q[c][j];
  return s;
}

/** || P_a - P_b ||_max for the projectors onto the spans of two sets of orthonormal vectors. */
function projectorGap(a: Float64Array[], b: Float64Array[], n: number): number {
  let worst = 0;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      let pa = 0, pb = 0;
      for (const v of a) pa += v[i] * v[j];
      for (const v of b) pb += v[i] * v[j];
      worst = Math.max(worst, Math.abs(pa - pb));
    }
  }
  return worst;
}

test('dense eigenpairs of [[2, 1], [1, 2]] by hand: 3 with (1, 1)/sqrt 2, then 1 with (1, -1)/sqrt 2', async () => {
  const r = denseTopEigenpairs(Float64Array.of(2, 1, 1, 2), 2, 2);
  assert.ok(Math.abs(r.values[0] - 3) < 1e-14 && Math.abs(r.values[1] - 1) < 1e-14);
  const s = Math.SQRT1_2;
  assert.ok(Math.abs(Math.abs(r.vectors[0][0]) - s) < 1e-14 && Math.abs(r.vectors[0][0] - r.vectors[0][1]) < 1e-14);
  assert.ok(Math.abs(r.vectors[1][0] + r.vectors[1][1]) < 1e-14);
});

test('block Krylov top eigenpairs equal the dense decomposition on a random 150 x 150 matrix', async () => {
  const n = 150;
  const rng = createRng(3);
  const g = Float64Array.from({ length: n * 40 }, () => rng.normal());
  const s = matMulABt(g, g, n, n, 40); // PSD, rank 40, a slowly decaying spectrum
  const k = 5;
  const dense = denseTopEigenpairs(s, n, k);
  const it = await blockKrylovTopEigenpairs(denseOperator(s, n), k, { seed: 1, tolerance: 1e-10 });
  assert.ok(it.converged, `residual ${it.residual}`);
  for (let c = 0; c < k; c++) {
    assert.ok(Math.abs(it.values[c] - dense.values[c]) < 1e-8 * dense.values[0], `eigenvalue ${c}: ${it.values[c]} vs ${dense.values[c]}`);
    let d = 0;
    for (let i = 0; i < n; i++) d += it.vectors[c][i] * dense.vectors[c][i];
    assert.ok(Math.abs(Math.abs(d) - 1) < 1e-8, `eigenvector ${c}: |cos| = ${Math.abs(d)}`);
  }
  // It did not simply span the whole space: far fewer products than n per restart budget.
  assert.ok(it.products < 40 * n);
});

test('block Krylov finds a repeated top eigenvalue (multiplicity 3) and its whole eigenspace', async () => {
  const n = 60;
  const lambda = Array.from({ length: n }, (_, i) => (i < 3 ? 5 : 4 * Math.exp(-i / 10)));
  const s = withSpectrum(lambda, 8);
  const it = await blockKrylovTopEigenpairs(denseOperator(s, n), 3, { seed: 2 });
  assert.ok(it.converged);
  for (const v of it.values) assert.ok(Math.abs(v - 5) < 1e-7, `${v}`);
  const dense = denseTopEigenpairs(s, n, 3);
  assert.ok(projectorGap(it.vectors, dense.vectors, n) < 1e-6);
  // A negative eigenvalue of larger magnitude does not distract it: the algebraically largest are wanted.
  const shifted = withSpectrum(Array.from({ length: n }, (_, i) => (i === 0 ? -20 : lambda[i])), 8);
  const top = await topEigenpairs(denseOperator(shifted, n), 2, { seed: 4, solver: 'iterative' });
  const ref = denseTopEigenpairs(shifted, n, 2);
  assert.ok(Math.abs(top.values[0] - ref.values[0]) < 1e-7 && Math.abs(top.values[1] - ref.values[1]) < 1e-7);
  assert.ok(top.values[0] > 0);
});

test('an operator of rank 2 stops at its invariant subspace with exact pairs', async () => {
  const n = 50;
  const u = Float64Array.from({ length: n }, (_, i) => (i < 25 ? 1 : 0) / 5);
  const v = Float64Array.from({ length: n }, (_, i) => (i >= 25 ? 1 : 0) / 5);
  const s = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) s[i * n + j] = 3 * u[i] * u[j] + 2 * v[i] * v[j];
  const r = await blockKrylovTopEigenpairs(denseOperator(s, n), 2, { seed: 0 });
  assert.ok(r.converged);
  assert.equal(r.restarts, 0);
  assert.ok(Math.abs(r.values[0] - 3) < 1e-12 && Math.abs(r.values[1] - 2) < 1e-12);
});

test('block products and the normalised affinity operator match explicit products', async () => {
  const n = 7;
  const rng = createRng(5);
  const s = Float64Array.from({ length: n * n }, () => rng.uniform(-1, 2));
  for (let i = 0; i < n; i++) for (let j = 0; j < i; j++) s[i * n + j] = s[j * n + i];
  const x = Array.from({ length: 6 }, () => Float64Array.from({ length: n }, () => rng.normal()));
  for (const clip of [false, true]) {
    const out = x.map(() => new Float64Array(n));
    denseBlockProduct(s, n, x, out, clip);
    const d = Float64Array.from({ length: n }, () => rng.uniform(0.5, 2));
    const norm = x.map(() => new Float64Array(n));
    await normalizedAffinityOperator(memoryRows(s, n, n), d, clip).apply(x, norm);
    x.forEach((xc, c) => {
      for (let i = 0; i < n; i++) {
        let e = 0, f = 0;
        for (let j = 0; j < n; j++) {
          const a = clip ? Math.max(0, s[i * n + j]) : s[i * n + j];
          e += a * xc[j];
          f += d[i] * a * d[j] * xc[j];
        }
        assert.ok(Math.abs(out[c][i] - e) < 1e-12);
        assert.ok(Math.abs(norm[c][i] - f) < 1e-12);
      }
    });
  }
});
