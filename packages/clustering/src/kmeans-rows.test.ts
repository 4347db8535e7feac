import { test } from 'node:test';
import assert from 'node:assert/strict';
import { kmeans } from 'ml-kmeans';
import { createRng } from '@elasticity/core';
import { kmeansRows } from './kmeans-rows.ts';
import { kmeansOnce, kmeansPlusPlus, lloyd, withinClusterSumOfSquares } from './kmeans-lloyd.ts';
import { deriveSeeds } from './restart-seeds.ts';
import { memoryRows } from './matrix-rows.ts';
import { clusteringAccuracy } from './metrics/accuracy.ts';
import { blobs } from './test-data.ts';

test('K-means on well-separated blobs recovers them (accuracy 1), k = 2 and k = 3', async () => {
  const two = blobs([[0, 0, 0], [10, 10, 10]], 40, 0.5, 1);
  assert.equal(clusteringAccuracy((await kmeansRows(two.x, two.n, two.dim, 2, { seed: 3 })).clusters, two.labels), 1);
  const three = blobs([[0, 0], [10, 0], [0, 10]], 30, 0.7, 2);
  const r = await kmeansRows(three.x, three.n, three.dim, 3, { seed: 4, restarts: 5 });
  assert.equal(clusteringAccuracy(r.clusters, three.labels), 1);
  assert.ok(r.converged);
});

test('within-cluster sum of squares by hand', async () => {
  // 1-d points 0, 2 | 10: cluster means 1 and 10; (0-1)^2 + (2-1)^2 + 0 = 2.
  assert.equal(await withinClusterSumOfSquares(memoryRows(Float64Array.of(0, 2, 10), 3, 1), 2, [0, 0, 1]), 2);
  // Same points, split 0 | 2, 10: means 0 and 6: 0 + 16 + 16 = 32.
  assert.equal(await withinClusterSumOfSquares(memoryRows(Float64Array.of(0, 2, 10), 3, 1), 2, [0, 1, 1]), 32);
});

test('restarts keep the start with the lowest within-cluster sum of squares', async () => {
  // Unstructured data with many local optima for k = 6.
  const rng = createRng(9);
  const n = 120, dim = 3, k = 6;
  const x = Float64Array.from({ length: n * dim }, () => rng.uniform(0, 1));
  const seeds = deriveSeeds(5, 8);
  const rows = memoryRows(x, n, dim);
  const objectives = await Promise.all(seeds.map(async (s) => withinClusterSumOfSquares(rows, k, (await kmeansOnce(rows, k, s)).clusters)));
  const best = await kmeansRows(x, n, dim, k, { seed: 5, restarts: 8 });
  assert.equal(best.objective, Math.min(...objectives));
  assert.equal(best.restart, objectives.indexOf(Math.min(...objectives)));
  assert.ok(new Set(objectives.map((o) => o.toFixed(9))).size > 1, 'the starts really differ, so the choice matters');
});

test('Lloyd iterations give ml-kmeans\'s partition and centres from the same start', async () => {
  const rng = createRng(12);
  const n = 200, dim = 5, k = 4;
  const x = Float64Array.from({ length: n * dim }, () => rng.normal());
  const rows = Array.from({ length: n }, (_, i) => Array.from(x.subarray(i * dim, (i + 1) * dim)));
  for (const seed of [1, 2, 3]) {
    const start = await kmeansPlusPlus(memoryRows(x, n, dim), k, createRng(seed));
    const initialization = Array.from({ length: k }, (_, c) => Array.from(start.subarray(c * dim, (c + 1) * dim)));
    const reference = kmeans(rows, k, { initialization, maxIterations: 300, tolerance: 0 });
    const ours = await lloyd(memoryRows(x, n, dim), k, start, { tolerance: 0 });
    assert.ok(reference.converged && ours.converged);
    assert.deepEqual(Array.from(ours.clusters), reference.clusters);
    reference.centroids.forEach((centre, c) => centre.forEach((v, p) => assert.ok(Math.abs(v - ours.centres[c * dim + p]) < 1e-12)));
  }
});

test('k-means++ seeding picks data rows and, for far-apart groups, one row of each', async () => {
  // Three tight groups of 5 points 100 apart: the chance that two seeds share a group is about 1e-4 per draw;
  // with the greedy candidates (the lower potential wins) it is practically 0.
  const pts: number[] = [];
  for (const centre of [0, 100, 200]) for (let i = 0; i < 5; i++) pts.push(centre + i * 0.01, -centre);
  const x = Float64Array.from(pts);
  for (let seed = 0; seed < 10; seed++) {
    const c = await kmeansPlusPlus(memoryRows(x, 15, 2), 3, createRng(seed));
    const groups = [0, 1, 2].map((j) => {
      const row = Array.from({ length: 15 }, (_, i) => i).find((i) => x[2 * i] === c[2 * j] && x[2 * i + 1] === c[2 * j + 1]);
      assert.ok(row !== undefined, 'a seed is a data row');
      return Math.floor(row / 5);
    });
    assert.deepEqual(groups.sort(), [0, 1, 2]);
  }
});

test('same seed, same partition', async () => {
  const b = blobs([[0, 0], [3, 0]], 50, 1.5, 3);
  const a1 = await kmeansRows(b.x, b.n, b.dim, 2, { seed: 7 });
  const a2 = await kmeansRows(b.x, b.n, b.dim, 2, { seed: 7 });
  assert.deepEqual(a1, a2);
});
