import type { Manifold } from './manifold.ts';
import { circularDistance, curvePair } from './manifold.ts';

/**
 * Two cycles (named in method.md section 6; the definition here is ours):
 * two linked circles of radius R = 10, each through the other's centre.
 * t uniform in [-pi, pi]:
 *   label 1: (R cos t, R sin t, 0)        (in the z = 0 plane, centre 0)
 *   label 0: (R + R cos t, 0, R sin t)    (in the y = 0 plane, centre (R, 0, 0))
 * The circles do not meet (label 0 crosses z = 0 only at x = 0 and x = 2R).
 * Intrinsic coordinate [t]; geodesic distance = R * circular |t1 - t2|.
 */
export const CYCLE_R = 10;

export const cycles: Manifold = curvePair({
  dim: 3,
  range: [-Math.PI, Math.PI],
  point: (label, t) => (label === 1
    ? [CYCLE_R * Math.cos(t), CYCLE_R * Math.sin(t), 0]
    : [CYCLE_R + CYCLE_R * Math.cos(t), 0, CYCLE_R * Math.sin(t)]),
  geodesic: (t1, t2) => CYCLE_R * circularDistance(t1, t2),
});
