import type { Manifold } from './manifold.ts';
import { circularDistance, curvePair } from './manifold.ts';

/**
 * The "donut" (method.md section 6): t uniform in [-pi, pi], r = 8, k = 4.
 *   label 1: (r cos t + sin(kt) cos t, r sin t + sin(kt) sin t,  cos(kt))
 *   label 0: (r cos t - sin(kt) cos t, r sin t - sin(kt) sin t, -cos(kt))
 * Intrinsic coordinate [t]; geodesic distance = circular |t1 - t2|.
 */
export const TORUS_R = 8;
export const TORUS_K = 4;

export const torus: Manifold = curvePair({
  dim: 3,
  range: [-Math.PI, Math.PI],
  point(label, t) {
    const sign = label === 1 ? 1 : -1;
    const wave = sign * Math.sin(TORUS_K * t);
    return [TORUS_R * Math.cos(t) + wave * Math.cos(t), TORUS_R * Math.sin(t) + wave * Math.sin(t), sign * Math.cos(TORUS_K * t)];
  },
  geodesic: (t1, t2) => circularDistance(t1, t2),
});
