import type { Manifold, SyntheticLabel } from './manifold.ts';
import { torus } from './torus.ts';
import { foldedBoxes } from './folded-boxes.ts';
import { cosine } from './cosine.ts';
import { helix } from './helix.ts';
import { spheres } from './spheres.ts';
import { cycles } from './cycles.ts';

export const SYNTHETIC_SHAPES = ['torus', 'folded-boxes', 'cosine', 'helix', 'spheres', 'cycles'] as const;
export type SyntheticShape = (typeof SYNTHETIC_SHAPES)[number];

export const MANIFOLDS: Record<SyntheticShape, Manifold> = {
  torus, 'folded-boxes': foldedBoxes, cosine, helix, spheres, cycles,
};

/**
 * Geodesic distance between two points of the same class of a synthetic
 * data set, from their intrinsic coordinates (the `coord` column). `label`
 * matters only where the two classes differ in size (folded boxes, spheres);
 * the similarity analysis uses label 1 (the primary points).
 */
export function geodesicDistance(shape: SyntheticShape, a: ArrayLike<number>, b: ArrayLike<number>, label: SyntheticLabel = 1): number {
  return MANIFOLDS[shape].geodesic(a, b, label);
}
