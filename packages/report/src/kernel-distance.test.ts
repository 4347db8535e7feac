import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRng } from '@elasticity/core';
import { eigenEmbedding, kernelDistances } from './kernel-distance.ts';

function gram(points: number[][]): Float64Array {
  const n = points.length;
  const k = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) k[i * n + j] = points[i].reduce((s, v, c) => s + v * points[j][c], 0);
  return k;
}

test('for a Gram matrix of rank <= 10 the kernel distance is the distance between the points', () => {
  const rng = createRng(4);
  const points = Array.from({ length: 25 }, () => Array.from({ length: 4 }, () => rng.next() * 2 - 1));
  const n = points.length;
  const d = kernelDistances(gram(points), n, 10);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      const expected = Math.hypot(...points[i].map((v, c) => v - points[j][c]));
      assert.ok(Math.abs(d[i * n + j] - expected) < 1e-9, `${i},${j}: ${d[i * n + j]} vs ${expected}`);
    }
  }
});

test('the embedding keeps the largest eigenvalues, largest first, and ignores negative ones', () => {
  // diag(5, -3, 1): top-2 embedding uses eigenvalues 5 and 1.
  const k = Float64Array.from([5, 0, 0, 0, -3, 0, 0, 0, 1]);
  const { embedding, dim, eigenvalues } = eigenEmbedding(k, 3, 2);
  assert.equal(dim, 2);
  assert.deepEqual(eigenvalues.map((v) => Math.round(v * 1e9) / 1e9), [5, 1]);
  // Point 0 sits at sqrt(5) on the first axis, point 2 at 1 on the second, point 1 (negative direction) at the origin.
  const abs = Array.from(embedding, (v) => Math.round(Math.abs(v) * 1e9) / 1e9);
  assert.deepEqual(abs, [Math.round(Math.sqrt(5) * 1e9) / 1e9, 0, 0, 0, 0, 1]);
  // With more components than points, all (clamped) eigenvalues are used.
  assert.equal(eigenEmbedding(k, 3, 10).dim, 3);
});
