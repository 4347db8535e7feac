import type { Manifold, SyntheticLabel } from './manifold.ts';
import { circularDistance } from './manifold.ts';

/**
 * Two folded boxes (method.md section 6): k = 1.2, bias 12, delta 1,
 * z in [-1, 1]. Class 1 (outside): upper fold y = -k|x| + (bias + delta),
 * lower fold y = k|x| - (bias + delta), x in [-(10 + 1/k), 10 + 1/k];
 * class 0 (inside): the same with bias - delta, x in [-(10 - 1/k), 10 - 1/k].
 * Apex height a = bias +/- delta, half width X = a / k: the two folds meet at
 * (+/-X, 0), so each class is a diamond-shaped tube (a prism over a rhombus).
 *
 * Intrinsic coordinate [s, z]: s in [0, L) is the arc length around the
 * rhombus (perimeter L = 4 sqrt(X^2 + a^2)), starting at (X, 0), along the
 * upper fold to (-X, 0), back along the lower fold. A draw shares the
 * fraction s/L and z between the two classes; s uniform = x uniform on a
 * fold chosen with probability 1/2. The tube is flat once unrolled, so the
 * geodesic distance is sqrt(circ(s1 - s2)^2 + (z1 - z2)^2), circ taken
 * modulo L (the folds join at the ends).
 */
export const BOX_K = 1.2;
export const BOX_BIAS = 12;
export const BOX_DELTA = 1;

/** Apex height, half width, edge length and perimeter of class `label`'s rhombus. */
export function boxGeometry(label: SyntheticLabel): { a: number; X: number; edge: number; perimeter: number } {
  const a = label === 1 ? BOX_BIAS + BOX_DELTA : BOX_BIAS - BOX_DELTA;
  const X = a / BOX_K;
  const edge = Math.hypot(X, a);
  return { a, X, edge, perimeter: 4 * edge };
}

export const foldedBoxes: Manifold = {
  dim: 3,
  coordDim: 2,
  draw(rng) {
    const fraction = rng.next();
    const z = rng.uniform(-1, 1);
    return { one: [fraction * boxGeometry(1).perimeter, z], zero: [fraction * boxGeometry(0).perimeter, z] };
  },
  embed(label, coord) {
    const { a, X, edge } = boxGeometry(label);
    const s = coord[0];
    if (s < 2 * edge) {
      const x = X * (1 - s / edge);
      return [x, -BOX_K * Math.abs(x) + a, coord[1]];
    }
    const x = X * ((s - 2 * edge) / edge - 1);
    return [x, BOX_K * Math.abs(x) - a, coord[1]];
  },
  geodesic(p, q, label) {
    const along = circularDistance(p[0], q[0], boxGeometry(label).perimeter);
    return Math.hypot(along, p[1] - q[1]);
  },
};
