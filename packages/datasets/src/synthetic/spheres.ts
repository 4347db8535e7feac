import type { Manifold, SyntheticLabel } from './manifold.ts';

/**
 * Two concentric spheres (method.md section 6): label 1 radius 10, label 0
 * radius 20. A draw takes one direction uniform on the unit sphere
 * (cos(theta) uniform in [-1, 1], phi uniform in [-pi, pi]) and places a
 * point on each sphere along it.
 * Intrinsic coordinate [theta, phi] (polar angle in [0, pi], azimuth);
 * geodesic distance = great-circle distance r * angle(n1, n2).
 */
export const SPHERE_RADII: Record<SyntheticLabel, number> = { 1: 10, 0: 20 };

function unit(coord: ArrayLike<number>): number[] {
  const [theta, phi] = [coord[0], coord[1]];
  return [Math.sin(theta) * Math.cos(phi), Math.sin(theta) * Math.sin(phi), Math.cos(theta)];
}

/** Angle between two unit vectors, accurate for small and large angles (atan2 of |cross| and dot). */
export function angleBetween(u: number[], v: number[]): number {
  const cx = u[1] * v[2] - u[2] * v[1];
  const cy = u[2] * v[0] - u[0] * v[2];
  const cz = u[0] * v[1] - u[1] * v[0];
  return Math.atan2(Math.hypot(cx, cy, cz), u[0] * v[0] + u[1] * v[1] + u[2] * v[2]);
}

export const spheres: Manifold = {
  dim: 3,
  coordDim: 2,
  draw(rng) {
    const theta = Math.acos(rng.uniform(-1, 1));
    const phi = rng.uniform(-Math.PI, Math.PI);
    return { one: [theta, phi], zero: [theta, phi] };
  },
  embed(label, coord) {
    return unit(coord).map((v) => SPHERE_RADII[label] * v);
  },
  geodesic: (a, b, label) => SPHERE_RADII[label] * angleBetween(unit(a), unit(b)),
};
