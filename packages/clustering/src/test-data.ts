import { createRng } from '@elasticity/core';

/** Gaussian blobs: `perBlob` points around each centre (sd `spread`), row-major, with labels. */
export function blobs(centres: number[][], perBlob: number, spread: number, seed: number): { x: Float64Array; labels: number[]; n: number; dim: number } {
  const rng = createRng(seed);
  const dim = centres[0].length;
  const n = centres.length * perBlob;
  const x = new Float64Array(n * dim);
  const labels: number[] = [];
  // Interleave the blobs so that labels are not sorted.
  for (let i = 0; i < n; i++) {
    const b = i % centres.length;
    labels.push(b);
    for (let j = 0; j < dim; j++) x[i * dim + j] = centres[b][j] + spread * rng.normal();
  }
  return { x, labels, n, dim };
}

/** Two concentric rings in the plane (radii r0 and r1, radial noise sd `noise`), interleaved, with labels 0 (inner) and 1 (outer). */
export function rings(perRing: number, r0: number, r1: number, noise: number, seed: number): { x: Float64Array; labels: number[]; n: number } {
  const rng = createRng(seed);
  const n = 2 * perRing;
  const x = new Float64Array(n * 2);
  const labels: number[] = [];
  for (let i = 0; i < n; i++) {
    const ring = i % 2;
    const angle = rng.uniform(0, 2 * Math.PI);
    const r = (ring === 0 ? r0 : r1) + noise * rng.normal();
    x[2 * i] = r * Math.cos(angle);
    x[2 * i + 1] = r * Math.sin(angle);
    labels.push(ring);
  }
  return { x, labels, n };
}

/** RBF kernel exp(-gamma ||x_i - x_j||^2) of n row-major points. */
export function rbfKernel(x: Float64Array, n: number, dim: number, gamma: number): Float64Array {
  const k = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      let d2 = 0;
      for (let p = 0; p < dim; p++) d2 += (x[i * dim + p] - x[j * dim + p]) ** 2;
      k[i * n + j] = Math.exp(-gamma * d2);
    }
  }
  return k;
}
