import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ElasticityError } from '@elasticity/core';
import { checkAffinity, spectralClustering, spectralEmbedding } from './spectral.ts';
import { kmeansRows } from './kmeans-rows.ts';
import { clusteringAccuracy } from './metrics/accuracy.ts';
import { blobs, rbfKernel, rings } from './test-data.ts';

test('spectral clustering separates two concentric rings (dense and iterative eigensolver); K-means on coordinates does not', async () => {
  const r = rings(150, 1, 4, 0.1, 3);
  const affinity = rbfKernel(r.x, r.n, 2, 2);
  for (const solver of ['dense', 'iterative'] as const) {
    const result = await spectralClustering(affinity, r.n, 2, { seed: 1, restarts: 5, solver });
    assert.equal(clusteringAccuracy(result.clusters, r.labels), 1, solver);
  }
  const km = await kmeansRows(r.x, r.n, 2, 2, { seed: 1, restarts: 5 });
  assert.ok(clusteringAccuracy(km.clusters, r.labels) < 0.8);
});

test('spectral clustering recovers three blobs (k = 3), and the embedding of nearly disconnected blocks has eigenvalues near 1', async () => {
  const b = blobs([[0, 0], [9, 0], [0, 9]], 40, 0.8, 6);
  const affinity = rbfKernel(b.x, b.n, 2, 0.5);
  const result = await spectralClustering(affinity, b.n, 3, { seed: 2, restarts: 5 });
  assert.equal(clusteringAccuracy(result.clusters, b.labels), 1);
  const emb = await spectralEmbedding(affinity, b.n, 3, { seed: 2, solver: 'iterative' });
  // Three almost disconnected blocks: D^-1/2 S D^-1/2 has three eigenvalues within 1e-6 of 1 (the top one is exactly 1).
  assert.ok(Math.abs(emb.eigenvalues[0] - 1) < 1e-9);
  for (const v of emb.eigenvalues) assert.ok(v > 1 - 1e-6 && v <= 1 + 1e-9, `${v}`);
  // Rows are unit length.
  for (let i = 0; i < b.n; i++) assert.ok(Math.abs(Math.hypot(...emb.rows.subarray(i * 3, i * 3 + 3)) - 1) < 1e-12);
});

test('exactly block-diagonal affinity: the top eigenvector of D^-1/2 S D^-1/2 is proportional to sqrt(degree)', async () => {
  // Two disconnected groups {0, 1, 2} and {3, 4}: eigenvalue 1 twice; embedding rows collapse onto two orthogonal points.
  const n = 5;
  const s = new Float64Array(n * n);
  const group = [0, 0, 0, 1, 1];
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) s[i * n + j] = group[i] === group[j] ? 1 + (i === j ? 1 : 0) : 0;
  const emb = await spectralEmbedding(s, n, 2, { seed: 0 });
  assert.ok(Math.abs(emb.eigenvalues[0] - 1) < 1e-12 && Math.abs(emb.eigenvalues[1] - 1) < 1e-12);
  const row = (i: number) => emb.rows.subarray(i * 2, i * 2 + 2);
  const cos = (a: Float64Array, b: Float64Array) => a[0] * b[0] + a[1] * b[1];
  assert.ok(Math.abs(cos(row(0), row(2)) - 1) < 1e-10 && Math.abs(cos(row(3), row(4)) - 1) < 1e-10);
  assert.ok(Math.abs(cos(row(0), row(3))) < 1e-10);
  assert.equal(clusteringAccuracy((await spectralClustering(s, n, 2, { seed: 0 })).clusters, group), 1);
});

test('negative affinities count as zero', async () => {
  const b = blobs([[0, 0], [7, 7]], 20, 0.6, 2);
  const affinity = rbfKernel(b.x, b.n, 2, 0.5);
  const withNegatives = Float64Array.from(affinity, (v) => (v < 1e-6 ? -0.3 : v));
  const clipped = Float64Array.from(withNegatives, (v) => Math.max(0, v));
  const a = await spectralEmbedding(withNegatives, b.n, 2, { seed: 3, solver: 'dense' });
  const c = await spectralEmbedding(clipped, b.n, 2, { seed: 3, solver: 'dense' });
  assert.ok(a.clippedNegative > 0);
  assert.equal(c.clippedNegative, 0);
  for (let v = 0; v < 2; v++) assert.ok(Math.abs(a.eigenvalues[v] - c.eigenvalues[v]) < 1e-12);
  assert.equal(await checkAffinity(withNegatives, b.n, 1e-6), a.clippedNegative);
});

test('spectral clustering rejects an asymmetric affinity and an example with no positive affinity', async () => {
  const asym = Float64Array.of(1, 0.5, 0.2, 0.7, 1, 0.3, 0.2, 0.3, 1);
  await assert.rejects(
    () => spectralClustering(asym, 3, 2, { seed: 0, file: 's.arrow', field: 'row' }),
    (e: unknown) => e instanceof ElasticityError && /^s\.arrow: row: spectral clustering needs a symmetric affinity, but S\(0, 1\) = 0\.5 and S\(1, 0\) = 0\.7/.test(e.message),
  );
  const isolated = Float64Array.of(1, 0.5, 0, 0.5, 1, 0, 0, 0, -1);
  await assert.rejects(
    () => spectralClustering(isolated, 3, 2, { seed: 0, file: 's.arrow', field: 'row' }),
    (e: unknown) => e instanceof ElasticityError && /row 2 sums to 0/.test(e.message),
  );
});
