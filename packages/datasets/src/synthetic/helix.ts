import type { Manifold } from './manifold.ts';
import { curvePair } from './manifold.ts';

/**
 * Double helix (named in method.md section 6; the definition here is ours):
 * two strands of one helix, the second turned by pi about the axis.
 * t uniform in [0, 4 pi] (two turns), radius R = 10, rise c = 2 per radian:
 *   label 1: ( R cos t,  R sin t, c t),   label 0: (-R cos t, -R sin t, c t).
 * Intrinsic coordinate [t]. Geodesic distance = arc length along a strand,
 * sqrt(R^2 + c^2) |t1 - t2|.
 */
export const HELIX_R = 10;
export const HELIX_RISE = 2;
export const HELIX_TURNS = 2;

export const helix: Manifold = curvePair({
  dim: 3,
  range: [0, HELIX_TURNS * 2 * Math.PI],
  point(label, t) {
    const sign = label === 1 ? 1 : -1;
    return [sign * HELIX_R * Math.cos(t), sign * HELIX_R * Math.sin(t), HELIX_RISE * t];
  },
  geodesic: (t1, t2) => Math.hypot(HELIX_R, HELIX_RISE) * Math.abs(t1 - t2),
});
