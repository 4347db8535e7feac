import type { tf as TF } from '../backend.ts';

type Vec = Float32Array | Float64Array;

/** Default K-block length of the float32 products (measured: 256-1024 all run at ~40 GFLOP/s in wasm; 512 keeps ~2e-8 relative at K = 40960, 2e-7 at K = 4096). */
export const DEFAULT_BLOCK_K = 512;

/**
 * Upper bound, relative to sum_p |A_ip| |B_pj|, of the error of one entry of
 * a product computed by `blockedGemmRows` from float64 inputs: rounding both
 * inputs to float32 (2 u), then float32 accumulation within a K-block of
 * length blockK (gamma_{blockK} ~ blockK u), u = 2^-24; the float64 sum of
 * the blocks adds nothing visible.
 */
export function float32BlockErrorBound(blockK: number): number {
  return (blockK + 3) * 2 ** -24;
}

/**
 * C[r0:r1, c0:n] += A[r0:r1, :] B[:, c0:n] for row-major A (m x k) and B
 * (k x n; or, with bTransposed, B^T stored as n x k), float32 or float64:
 * one float32 matmul per K-block of length blockK (TensorFlow.js, whatever
 * backend `tf` runs), the blocks gathered (and rounded to float32) here,
 * each block's result added into the float64 `out` (m x n, row-major).
 * Products of two float32 numbers are exact; only the float32 accumulation
 * within a block rounds, so the result keeps ~1e-7 relative accuracy however
 * long k is.
 */
export function blockedGemmRows(
  tf: typeof TF, a: Vec, b: Vec, bTransposed: boolean, r0: number, r1: number, k: number, n: number, blockK: number, out: Float64Array, c0 = 0,
): void {
  const m = r1 - r0;
  const w = n - c0;
  if (m <= 0 || w <= 0) return;
  const ablk = new Float32Array(m * Math.min(blockK, k));
  const bblk = new Float32Array(w * Math.min(blockK, k));
  for (let k0 = 0; k0 < k; k0 += blockK) {
    const kb = Math.min(blockK, k - k0);
    const ab = ablk.subarray(0, m * kb);
    for (let i = 0; i < m; i++) {
      const src = (r0 + i) * k + k0;
      ab.set(a.subarray(src, src + kb), i * kb);
    }
    const bb = bblk.subarray(0, kb * w);
    if (bTransposed) {
      for (let j = 0; j < w; j++) {
        const src = (c0 + j) * k + k0;
        for (let p = 0; p < kb; p++) bb[p * w + j] = b[src + p];
      }
    } else {
      for (let p = 0; p < kb; p++) bb.set(b.subarray((k0 + p) * n + c0, (k0 + p) * n + n), p * w);
    }
    const c = tf.tidy(() => tf.matMul(tf.tensor2d(ab, [m, kb]), tf.tensor2d(bb, [kb, w])));
    const v = c.dataSync() as Float32Array;
    c.dispose();
    for (let i = 0; i < m; i++) {
      const o = (r0 + i) * n + c0, src = i * w;
      for (let j = 0; j < w; j++) out[o + j] += v[src + j];
    }
  }
}
