import type { Manifold } from './manifold.ts';
import { circularDistance } from './manifold.ts';

/**
 * The "donut" (method.md section 6): t uniform in [-pi, pi], r = 8, k = 4.
 *   label 1: (r cos t + sin(kt) cos t, r sin t + sin(kt) sin t,  cos(kt))
 *   label 0: (r cos t - sin(kt) cos t, r sin t - sin(kt) sin t, -cos(kt))
 * Intrinsic coordinate [t]; geodesic distance = circular |t1 - t2|.
 */
export const TORUS_R = 8;
export const TORUS_K = 4;

export const torus: Manifold = {
  dim: 3,
  coordDim: 1,
  draw(rng) {
    const t = rng.uniform(-Math.PI, Math.PI);
    return { one: [t], zero: [t] };
  },
  embed(label, coord) {
    const t = coord[0];
    const sign = label === 1 ? 1 : -1;
    const wave = sign * Math.sin(TORUS_K * t);
    return [TORUS_R * Math.cos(t) + wave * Math.cos(t), TORUS_R * Math.sin(t) + wave * Math.sin(t), sign * Math.cos(TORUS_K * t)];
  },
  geodesic: (a, b) => circularDistance(a[0], b[0]),
};
