import { test } from 'node:test';
import assert from 'node:assert/strict';
import { kmeans } from 'ml-kmeans';
import { createRng } from '@elasticity/core';
import { kmeansRows, withinClusterSumOfSquares } from './kmeans-rows.ts';
import { deriveSeeds } from './restart-seeds.ts';
import { clusteringAccuracy } from './metrics/accuracy.ts';
import { blobs } from './test-data.ts';

test('K-means on well-separated blobs recovers them (accuracy 1), k = 2 and k = 3', () => {
  const two = blobs([[0, 0, 0], [10, 10, 10]], 40, 0.5, 1);
  assert.equal(clusteringAccuracy(kmeansRows(two.x, two.n, two.dim, 2, { seed: 3 }).clusters, two.labels), 1);
  const three = blobs([[0, 0], [10, 0], [0, 10]], 30, 0.7, 2);
  const r = kmeansRows(three.x, three.n, three.dim, 3, { seed: 4, restarts: 5 });
  assert.equal(clusteringAccuracy(r.clusters, three.labels), 1);
  assert.ok(r.converged);
});

test('within-cluster sum of squares by hand', () => {
  // 1-d points 0, 2 | 10: cluster means 1 and 10; (0-1)^2 + (2-1)^2 + 0 = 2.
  assert.equal(withinClusterSumOfSquares(Float64Array.of(0, 2, 10), 3, 1, 2, [0, 0, 1]), 2);
  // Same points, split 0 | 2, 10: means 0 and 6: 0 + 16 + 16 = 32.
  assert.equal(withinClusterSumOfSquares(Float64Array.of(0, 2, 10), 3, 1, 2, [0, 1, 1]), 32);
});

test('restarts keep the start with the lowest within-cluster sum of squares', () => {
  // Unstructured data with many local optima for k = 6.
  const rng = createRng(9);
  const n = 120, dim = 3, k = 6;
  const x = Float64Array.from({ length: n * dim }, () => rng.uniform(0, 1));
  const rows = Array.from({ length: n }, (_, i) => Array.from(x.subarray(i * dim, (i + 1) * dim)));
  const seeds = deriveSeeds(5, 8);
  const objectives = seeds.map((s) => {
    const r = kmeans(rows, k, { seed: s, initialization: 'kmeans++', maxIterations: 300, tolerance: 1e-6 });
    return withinClusterSumOfSquares(x, n, dim, k, r.clusters);
  });
  const best = kmeansRows(x, n, dim, k, { seed: 5, restarts: 8 });
  assert.equal(best.objective, Math.min(...objectives));
  assert.equal(best.restart, objectives.indexOf(Math.min(...objectives)));
  assert.ok(new Set(objectives.map((o) => o.toFixed(9))).size > 1, 'the starts really differ, so the choice matters');
});

test('same seed, same partition', () => {
  const b = blobs([[0, 0], [3, 0]], 50, 1.5, 3);
  const a1 = kmeansRows(b.x, b.n, b.dim, 2, { seed: 7 });
  const a2 = kmeansRows(b.x, b.n, b.dim, 2, { seed: 7 });
  assert.deepEqual(a1, a2);
});
