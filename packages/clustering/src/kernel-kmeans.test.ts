import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ElasticityError, matMulABt } from '@elasticity/core';
import { checkKernel, kernelKmeans } from './kernel-kmeans.ts';
import { kmeansRows } from './kmeans-rows.ts';
import { clusteringAccuracy } from './metrics/accuracy.ts';
import { adjustedRandIndex } from './metrics/ari.ts';
import { blobs, rbfKernel, rings } from './test-data.ts';

test('kernel K-means with the linear kernel X X^T gives the partition of K-means on X', async () => {
  const b = blobs([[0, 0, 0, 0], [6, 6, 0, 0], [0, 6, 6, 0]], 25, 0.8, 4);
  const kernel = matMulABt(b.x, b.x, b.n, b.n, b.dim);
  const kk = await kernelKmeans(kernel, b.n, 3, { seed: 1, restarts: 5 });
  const km = await kmeansRows(b.x, b.n, b.dim, 3, { seed: 1, restarts: 5 });
  assert.equal(adjustedRandIndex(kk.clusters, km.clusters), 1);
  assert.equal(clusteringAccuracy(kk.clusters, b.labels), 1);
  // With the linear kernel the feature-space objective is the ordinary within-cluster sum of squares.
  assert.ok(Math.abs(kk.objective - km.objective) < 1e-9 * km.objective);
  assert.ok(kk.converged);
});

test('kernel K-means with an RBF kernel separates two concentric rings; K-means on coordinates does not', async () => {
  const r = rings(100, 1, 4, 0.1, 3);
  const kernel = rbfKernel(r.x, r.n, 2, 0.4);
  const kk = await kernelKmeans(kernel, r.n, 2, { seed: 2, restarts: 10 });
  assert.equal(clusteringAccuracy(kk.clusters, r.labels), 1);
  const km = await kmeansRows(r.x, r.n, 2, 2, { seed: 2, restarts: 10 });
  assert.ok(clusteringAccuracy(km.clusters, r.labels) < 0.8);
});

test('kernel K-means fills empty clusters (duplicate points, k above the number of distinct points)', async () => {
  // Points a, a, b, b, c, c with a = (1, 0), b = (0, 1), c = (1, 1) and the linear kernel, k = 4:
  // duplicates coincide in feature space, so k-means++ runs out of distinct centres, the 4th
  // initial cluster is empty and must take a point. The result has 4 non-empty clusters, never
  // puts two distinct points together, and its objective is 0.
  const x = Float64Array.of(1, 0, 1, 0, 0, 1, 0, 1, 1, 1, 1, 1);
  const n = 6;
  const kernel = matMulABt(x, x, n, n, 2);
  const r = await kernelKmeans(kernel, n, 4, { seed: 0, restarts: 3 });
  assert.equal(new Set(r.clusters).size, 4);
  for (let i = 0; i < n; i += 2) for (let j = i + 2; j < n; j += 2) assert.notEqual(r.clusters[i], r.clusters[j]);
  assert.equal(r.objective, 0);
});

test('kernel K-means rejects an asymmetric matrix with a clear error, and reports a non-positive diagonal', async () => {
  const good = Float64Array.of(2, 1, 1, 3);
  await kernelKmeans(good, 2, 2, { seed: 0 });
  const asym = Float64Array.of(2, 1, 1.1, 3);
  await assert.rejects(
    () => kernelKmeans(asym, 2, 2, { seed: 0, file: 'k.arrow', field: 'row' }),
    (e: unknown) => e instanceof ElasticityError && /^k\.arrow: row: kernel K-means needs a symmetric matrix, but K\(0, 1\) = 1 and K\(1, 0\) = 1\.1/.test(e.message),
  );
  // Within the relative tolerance (1e-6) it passes.
  await kernelKmeans(Float64Array.of(2, 1, 1 + 1e-9, 3), 2, 2, { seed: 0 });
  for (const d of [0, -1]) assert.deepEqual(await checkKernel(Float64Array.of(2, 1, 1, d), 2, 1e-6), [{ index: 1, value: d }]);
  assert.deepEqual(await checkKernel(good, 2, 1e-6), []);
});

test('a non-positive diagonal entry (a noisy probe row) does not stop kernel K-means from finding the blocks', async () => {
  // two blocks of 4: K = 1 within a block, 0 across; one diagonal entry wrong in sign
  const n = 8;
  const kernel = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) kernel[i * n + j] = (i < 4) === (j < 4) ? 1 : 0;
  kernel[2 * n + 2] = -0.5;
  assert.deepEqual(await checkKernel(kernel, n, 1e-6), [{ index: 2, value: -0.5 }]);
  for (const seed of [0, 1, 2]) {
    const r = await kernelKmeans(kernel, n, 2, { seed, restarts: 3 });
    const first = r.clusters[0];
    assert.deepEqual(Array.from(r.clusters).map((c) => c === first), [true, true, true, true, false, false, false, false], `seed ${seed}`);
  }
});

test('two clusters: the objective is trace(K) - sum over clusters of (sum of K_ij within) / size, summed in row and column order, to the bit (entries of both signs, zeros and -0)', async () => {
  const b = blobs([[0, 0], [4, 1]], 30, 1.2, 9);
  const n = b.n;
  const kernel = matMulABt(b.x, b.x, n, n, b.dim).map((v, q) => (q % 7 === 0 ? (q % 2 === 0 ? 0 : -0) : v - 3));
  for (let i = 0; i < n; i++) for (let j = 0; j < i; j++) kernel[i * n + j] = kernel[j * n + i];
  const r = await kernelKmeans(kernel, n, 2, { seed: 3, restarts: 4 });
  let total = 0;
  for (let i = 0; i < n; i++) total += kernel[i * n + i];
  const intra = [0, 0], size = [0, 0];
  for (let i = 0; i < n; i++) {
    const c = r.clusters[i];
    let within = 0;
    for (let j = 0; j < n; j++) if (r.clusters[j] === c) within += kernel[i * n + j];
    intra[c] += within;
    size[c]++;
  }
  for (const c of [0, 1]) if (size[c] > 0) total -= intra[c] / size[c];
  assert.equal(r.objective, total);
  assert.ok(size[0] > 0 && size[1] > 0);
});
