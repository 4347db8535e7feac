/**
 * The largest error of a float32 product C = A B (A: m x k, B: k x n,
 * row-major) against the float64 product, each entry's error relative to
 * sum_p |A_ip B_pj| (the scale of float32 accumulation error: at most about
 * k 2^-24 for any summation order).
 */
export function worstRelativeError(a: Float32Array, b: Float32Array, c: Float32Array, m: number, k: number, n: number): number {
  let worst = 0;
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let exact = 0, abs = 0;
      for (let p = 0; p < k; p++) {
        exact += a[i * k + p] * b[p * n + j];
        abs += Math.abs(a[i * k + p] * b[p * n + j]);
      }
      worst = Math.max(worst, Math.abs(c[i * n + j] - exact) / abs);
    }
  }
  return worst;
}
