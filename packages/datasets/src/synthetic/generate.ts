import { createRng } from '@elasticity/core';
import type { SyntheticLabel } from './manifold.ts';
import { MANIFOLDS } from './shapes.ts';
import type { SyntheticShape } from './shapes.ts';

export interface SyntheticData {
  shape: SyntheticShape;
  /** 2 * draws points: draw i gives row 2i (label 1) and row 2i + 1 (label 0). */
  count: number;
  dim: number;
  coordDim: number;
  /** Row-major count x dim. */
  x: Float64Array;
  labels: Uint8Array;
  /** Row-major count x coordDim intrinsic coordinates. */
  coord: Float64Array;
}

/** Draws `draws` times from `shape` with a seeded RNG; each draw makes one point of each class. */
export function generateSynthetic(shape: SyntheticShape, draws: number, seed: number): SyntheticData {
  const m = MANIFOLDS[shape];
  const rng = createRng(seed);
  const count = 2 * draws;
  const x = new Float64Array(count * m.dim);
  const coord = new Float64Array(count * m.coordDim);
  const labels = new Uint8Array(count);
  for (let i = 0; i < draws; i++) {
    const { one, zero } = m.draw(rng);
    ([[1, one], [0, zero]] as [SyntheticLabel, number[]][]).forEach(([label, c], k) => {
      const row = 2 * i + k;
      labels[row] = label;
      coord.set(c, row * m.coordDim);
      x.set(m.embed(label, c), row * m.dim);
    });
  }
  return { shape, count, dim: m.dim, coordDim: m.coordDim, x, labels, coord };
}
