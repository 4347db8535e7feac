import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRng } from '@elasticity/core';
import { pcaComponentCount, pcaFeatures, pcaProject } from './pca.ts';

/** n x d data of exact rank `rank` (after centring) plus a mean offset: X = A B + 1 mu^T. */
function lowRank(n: number, d: number, rank: number, seed: number): Float64Array {
  const rng = createRng(seed);
  const a = Array.from({ length: n * rank }, () => rng.normal());
  const b = Array.from({ length: rank * d }, () => rng.normal());
  const mu = Array.from({ length: d }, () => rng.uniform(-3, 3));
  const x = new Float64Array(n * d);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < d; j++) {
      let s = mu[j];
      for (let r = 0; r < rank; r++) s += a[i * rank + r] * b[r * d + j];
      x[i * d + j] = s;
    }
  }
  return x;
}

function maxReconstructionError(x: Float64Array, n: number, d: number, k: number, res: ReturnType<typeof pcaProject>): number {
  let worst = 0;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < d; j++) {
      let v = res.means[j];
      for (let c = 0; c < k; c++) v += res.scores[i * k + c] * res.axes[c * d + j];
      worst = Math.max(worst, Math.abs(v - x[i * d + j]));
    }
  }
  return worst;
}

test('PCA with 3 components reconstructs rank-3 data in 10-d to 1e-9', () => {
  const n = 40, d = 10;
  const x = lowRank(n, d, 3, 11);
  const res = pcaProject(x, n, d, 3);
  assert.equal(res.components, 3);
  assert.ok(maxReconstructionError(x, n, d, 3, res) < 1e-9);
  // Axes are orthonormal.
  for (let a = 0; a < 3; a++) {
    for (let b = 0; b < 3; b++) {
      let dot = 0;
      for (let j = 0; j < d; j++) dot += res.axes[a * d + j] * res.axes[b * d + j];
      assert.ok(Math.abs(dot - (a === b ? 1 : 0)) < 1e-10);
    }
  }
  // The kept variances sum to the total variance (divisor n - 1), as the data has rank 3.
  let total = 0;
  for (let j = 0; j < d; j++) {
    let ss = 0;
    for (let i = 0; i < n; i++) ss += (x[i * d + j] - res.means[j]) ** 2;
    total += ss / (n - 1);
  }
  const kept = res.variances.reduce((s, v) => s + v, 0);
  assert.ok(Math.abs(kept - total) < 1e-9 * total);
  // Scores are centred and column c has variance variances[c].
  for (let c = 0; c < 3; c++) {
    let s = 0, ss = 0;
    for (let i = 0; i < n; i++) {
      s += res.scores[i * 3 + c];
      ss += res.scores[i * 3 + c] ** 2;
    }
    assert.ok(Math.abs(s) < 1e-9);
    assert.ok(Math.abs(ss / (n - 1) - res.variances[c]) < 1e-9 * res.variances[c]);
  }
});

test('PCA with two components of rank-3 data does not reconstruct it (the test above can fail)', () => {
  const n = 40, d = 10;
  const x = lowRank(n, d, 3, 11);
  const res = pcaProject(x, n, d, 2);
  assert.ok(maxReconstructionError(x, n, d, 2, res) > 1e-3);
});

test('PCA works with fewer examples than dimensions (n < d) and caps components at min(n, d)', () => {
  const n = 6, d = 10;
  const x = lowRank(n, d, 3, 5);
  const res = pcaProject(x, n, d, 100);
  assert.equal(res.components, 6);
  assert.ok(maxReconstructionError(x, n, d, 6, res) < 1e-9);
  assert.equal(pcaComponentCount(100, 1000, 784), 100);
  assert.equal(pcaComponentCount(100, 50, 784), 50);
  assert.equal(pcaComponentCount(100, 500, 3), 3);
});

test('pcaFeatures keeps ids and reports kind pca', () => {
  const n = 8, d = 4;
  const f = pcaFeatures({ kind: 'raw', ids: Int32Array.from({ length: n }, (_, i) => 100 + i), values: lowRank(n, d, 2, 3), dim: d }, 2);
  assert.equal(f.kind, 'pca');
  assert.equal(f.dim, 2);
  assert.equal(f.values.length, n * 2);
  assert.deepEqual(Array.from(f.ids), [100, 101, 102, 103, 104, 105, 106, 107]);
});

test('PCA of points on the line y = 2x by hand', () => {
  // Points (0,0), (1,2), (2,4), (3,6): mean (1.5, 3); the first axis is (1, 2)/sqrt(5) up to sign;
  // scores are (x - 1.5) sqrt(5) = sqrt(5) * (-1.5, -0.5, 0.5, 1.5) up to sign;
  // variance = 5 (2.25 + 0.25 + 0.25 + 2.25) / 3 = 25/3; the second axis has variance 0.
  const res = pcaProject(Float64Array.of(0, 0, 1, 2, 2, 4, 3, 6), 4, 2, 2);
  const sign = Math.sign(res.axes[0]);
  assert.ok(Math.abs(sign * res.axes[0] - 1 / Math.sqrt(5)) < 1e-12);
  assert.ok(Math.abs(sign * res.axes[1] - 2 / Math.sqrt(5)) < 1e-12);
  [-1.5, -0.5, 0.5, 1.5].forEach((t, i) => assert.ok(Math.abs(sign * res.scores[i * 2] - t * Math.sqrt(5)) < 1e-12));
  assert.ok(Math.abs(res.variances[0] - 25 / 3) < 1e-12);
  assert.ok(res.variances[1] < 1e-12);
  assert.deepEqual(Array.from(res.means), [1.5, 3]);
});
