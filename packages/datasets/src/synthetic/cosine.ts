import type { Manifold } from './manifold.ts';
import { curvePair } from './manifold.ts';

/**
 * Two cosine curves (method.md section 6 names them; the definition here is
 * ours): x uniform in [-2 pi, 2 pi] (two periods),
 *   label 1: (x, cos x + 0.2),   label 0: (x, cos x - 0.2).
 * Intrinsic coordinate [x]. Geodesic distance = arc length along the curve,
 * |integral from x1 to x2 of sqrt(1 + sin^2 t) dt| (the same for both
 * classes), by composite Gauss-Legendre quadrature (error < 1e-12).
 */
export const COSINE_OFFSET = 0.2;
export const COSINE_HALF_RANGE = 2 * Math.PI;

// 5-point Gauss-Legendre nodes and weights on [-1, 1].
const NODES = [0, -0.5384693101056831, 0.5384693101056831, -0.906179845938664, 0.906179845938664];
const WEIGHTS = [0.5688888888888889, 0.47862867049936647, 0.47862867049936647, 0.23692688505618908, 0.23692688505618908];

/** Arc length of y = cos x between x = a and x = b. */
export function cosineArcLength(a: number, b: number): number {
  const lo = Math.min(a, b);
  const hi = Math.max(a, b);
  if (hi === lo) return 0;
  const pieces = Math.max(1, Math.ceil((hi - lo) * 8));
  const h = (hi - lo) / pieces;
  let sum = 0;
  for (let p = 0; p < pieces; p++) {
    const mid = lo + (p + 0.5) * h;
    for (let q = 0; q < NODES.length; q++) {
      const s = Math.sin(mid + (NODES[q] * h) / 2);
      sum += WEIGHTS[q] * Math.sqrt(1 + s * s);
    }
  }
  return (sum * h) / 2;
}

export const cosine: Manifold = curvePair({
  dim: 2,
  range: [-COSINE_HALF_RANGE, COSINE_HALF_RANGE],
  point: (label, x) => [x, Math.cos(x) + (label === 1 ? COSINE_OFFSET : -COSINE_OFFSET)],
  geodesic: cosineArcLength,
});
