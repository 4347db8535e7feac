import type { Rng } from '@elasticity/core';

/** Label of a synthetic point: 1 (primary role, target 1) or 0 (auxiliary role, target 0). */
export type SyntheticLabel = 0 | 1;

/**
 * One synthetic data set: two manifolds (label 1 and label 0), each point
 * described by its intrinsic coordinate. A draw samples the shared
 * parameters once and gives one point of each class.
 */
export interface Manifold {
  /** Dimension of the embedded points. */
  dim: number;
  /** Length of the intrinsic coordinate. */
  coordDim: number;
  /** One seeded draw: the coordinates of the label-1 and the label-0 point. */
  draw(rng: Rng): { one: number[]; zero: number[] };
  /** The point of class `label` at intrinsic coordinate `coord`. */
  embed(label: SyntheticLabel, coord: ArrayLike<number>): number[];
  /** Geodesic distance on the class-`label` manifold between two of its points. */
  geodesic(a: ArrayLike<number>, b: ArrayLike<number>, label: SyntheticLabel): number;
}

/** Distance between two angles on a circle of circumference `period`: min(|d|, period - |d|). */
export function circularDistance(a: number, b: number, period = 2 * Math.PI): number {
  const d = Math.abs(a - b) % period;
  return Math.min(d, period - d);
}

/**
 * Two curves over one parameter t, drawn uniformly in [from, to): each draw
 * gives the label-1 and the label-0 point the same t. Intrinsic coordinate
 * [t]; `point` embeds a label's point at t, `geodesic` is the distance
 * along a curve between two parameters.
 */
export function curvePair(curves: {
  dim: number;
  range: [from: number, to: number];
  point: (label: SyntheticLabel, t: number) => number[];
  geodesic: (t1: number, t2: number) => number;
}): Manifold {
  const [from, to] = curves.range;
  return {
    dim: curves.dim,
    coordDim: 1,
    draw(rng) {
      const t = rng.uniform(from, to);
      return { one: [t], zero: [t] };
    },
    embed: (label, coord) => curves.point(label, coord[0]),
    geodesic: (a, b) => curves.geodesic(a[0], b[0]),
  };
}
