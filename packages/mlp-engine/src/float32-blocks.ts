import type { Float32MatMul } from './float32-kernel.ts';

type Vec = Float32Array | Float64Array;

/** Default K-block length of the float32 products (measured: 256-1024 all run at ~40 GFLOP/s in wasm; 512 keeps ~2e-8 relative at K = 40960, 2e-7 at K = 4096). */
export const DEFAULT_BLOCK_K = 512;

/**
 * Upper bound, relative to sum_p |A_ip| |B_pj|, of the error of one entry of
 * a product computed by `gemmTile` from float64 inputs: rounding both
 * inputs to float32 (2 u), then float32 accumulation within a K-block of
 * length blockK (gamma_{blockK} ~ blockK u), u = 2^-24; the float64 sum of
 * the blocks adds nothing visible.
 */
export function float32BlockErrorBound(blockK: number): number {
  return (blockK + 3) * 2 ** -24;
}

/**
 * A left factor given implicitly by a matrix S (rows of A = rows of S):
 *   A_ik = S_ik > 0 ? p_k - q_i r_k S_ik : 0
 * (the fast probe's L = a (a - e_i s) on the active ReLU units, built block
 * by block instead of as a whole matrix). q is indexed by the row of A.
 */
export interface SupportMap {
  p: Float64Array;
  q: Float64Array;
  r: Float64Array;
}

/** Row i of A (length k) into dst: S's row, mapped by `map` when given. */
export function mappedRow(s: Vec, i: number, k: number, map: SupportMap | undefined, dst: Float32Array | Float64Array, k0 = 0, kb = k, at = 0): void {
  const src = i * k + k0;
  if (!map) {
    dst.set(s.subarray(src, src + kb), at);
    return;
  }
  const { p, q, r } = map;
  const qi = q[i];
  for (let t = 0; t < kb; t++) {
    const v = s[src + t];
    dst[at + t] = v > 0 ? p[k0 + t] - qi * r[k0 + t] * v : 0;
  }
}

/**
 * The left factor A (m x k) of a product given k-major in float32, as the
 * float32 tiles of a layer store its activations: A_ik = values[p lda + cols[i]]
 * (cols: which of the lda columns are A's rows; all of them in order when absent).
 */
export interface KMajorLeft {
  values: Float32Array;
  lda: number;
  cols?: Int32Array;
}

/**
 * Rows [r0, r0 + m) x columns [k0, k0 + kb) of a k-major A into the
 * row-major float32 block dst (m x kb), mapped by `map` when given: a
 * transposition, in strips of 32 rows so that reads and writes stay in cache.
 * With kRows, column t of the block is A's column kRows[k0 + t].
 */
export function gatherKMajorBlock(a: KMajorLeft, r0: number, m: number, k0: number, kb: number, map: SupportMap | undefined, dst: Float32Array, kRows?: Int32Array): void {
  const { values, lda, cols } = a;
  const S = 32;
  for (let i0 = 0; i0 < m; i0 += S) {
    const i1 = Math.min(m, i0 + S);
    for (let t = 0; t < kb; t++) {
      const kk = kRows ? kRows[k0 + t] : k0 + t;
      const row = kk * lda;
      if (!map) {
        if (cols) for (let i = i0; i < i1; i++) dst[i * kb + t] = values[row + cols[r0 + i]];
        else for (let i = i0; i < i1; i++) dst[i * kb + t] = values[row + r0 + i];
        continue;
      }
      const pk = map.p[kk], rk = map.r[kk], q = map.q;
      for (let i = i0; i < i1; i++) {
        const v = values[row + (cols ? cols[r0 + i] : r0 + i)];
        dst[i * kb + t] = v > 0 ? pk - q[r0 + i] * rk * v : 0;
      }
    }
  }
}

/**
 * C[r0:r1, c0:c1] += A[r0:r1, :] B[:, c0:c1] for A row-major (m x k, or the
 * S of a SupportMap) or k-major (KMajorLeft), and B given k-major (bt: k x n
 * row-major, i.e. B itself for C = A B, the transpose of B for C = A B^T),
 * float32 or float64: one float32 matmul per K-block of length blockK
 * (`matMul`: ONNX Runtime or TensorFlow.js); A's blocks are gathered (and
 * rounded to float32) here, B's block is a view of `bt` when bt is float32
 * and the tile spans all n columns, else rows of it gathered. The blocks'
 * results are added into the float64 `out` (m x n, row-major), four at a
 * time (see addBlocks). Products of two
 * float32 numbers are exact; only the float32 accumulation within a block
 * rounds, so the result keeps ~1e-7 relative accuracy however long k is.
 * With kRows (A k-major), the sum runs over those k only: the caller knows
 * every other term is 0 (e.g. ReLU units active at no example).
 */
export async function gemmTile(
  matMul: Float32MatMul, a: Vec | KMajorLeft, bt: Vec, r0: number, r1: number, c0: number, c1: number, k: number, n: number, blockK: number, out: Float64Array,
  map?: SupportMap, kRows?: Int32Array,
): Promise<void> {
  const m = r1 - r0;
  const w = c1 - c0;
  const K = kRows ? kRows.length : k;
  if (m <= 0 || w <= 0 || K <= 0) return;
  const ablk = new Float32Array(m * Math.min(blockK, K));
  const fullB = bt instanceof Float32Array && c0 === 0 && c1 === n && !kRows;
  const bblk = fullB ? undefined : new Float32Array(w * Math.min(blockK, K));
  const rowMajorA = a instanceof Float32Array || a instanceof Float64Array ? a : undefined;
  if (rowMajorA && kRows) throw new Error('gemmTile: kRows needs a k-major A');
  // block results waiting to be added into out
  const pending: Float32Array[] = [];
  for (let k0 = 0; k0 < K; k0 += blockK) {
    const kb = Math.min(blockK, K - k0);
    const ab = ablk.subarray(0, m * kb);
    if (rowMajorA) for (let i = 0; i < m; i++) mappedRow(rowMajorA, r0 + i, k, map, ab, k0, kb, i * kb);
    else gatherKMajorBlock(a as KMajorLeft, r0, m, k0, kb, map, ab, kRows);
    let bb: Float32Array;
    if (fullB) bb = (bt as Float32Array).subarray(k0 * n, (k0 + kb) * n);
    else {
      bb = bblk!.subarray(0, kb * w);
      for (let p = 0; p < kb; p++) {
        const row = (kRows ? kRows[k0 + p] : k0 + p) * n;
        bb.set(bt.subarray(row + c0, row + c1), p * w);
      }
    }
    pending.push(await matMul(ab, bb, m, kb, w));
    if (pending.length === 4 || k0 + kb >= K) addBlocks(pending, out, r0, m, c0, w, n);
  }
}

/**
 * out[r0:r0+m, c0:c0+w] += the sum of up to four float32 block results (m x w),
 * summed in float64 (exactly, but for rounding at 2^-53) before one pass
 * over `out` (a pass per block made the sums' memory traffic ~10% of a product). Empties `pending`.
 */
function addBlocks(pending: Float32Array[], out: Float64Array, r0: number, m: number, c0: number, w: number, n: number): void {
  const [v0, v1, v2, v3] = pending;
  for (let i = 0; i < m; i++) {
    const o = (r0 + i) * n + c0, src = i * w;
    if (v3) for (let j = 0; j < w; j++) out[o + j] += (v0[src + j] + v1[src + j]) + (v2[src + j] + v3[src + j]);
    else if (v2) for (let j = 0; j < w; j++) out[o + j] += (v0[src + j] + v1[src + j]) + v2[src + j];
    else if (v1) for (let j = 0; j < w; j++) out[o + j] += v0[src + j] + v1[src + j];
    else for (let j = 0; j < w; j++) out[o + j] += v0[src + j];
  }
  pending.length = 0;
}

/**
 * Columns [p0, p1) of a row-major m x k matrix, transposed into the
 * k-major float32 `dst` (k x m): dst[p m + i] = src[i k + p]. Cache-blocked.
 */
export function transposeColumns(src: Vec, m: number, k: number, p0: number, p1: number, dst: Float32Array): void {
  const T = 64;
  for (let i0 = 0; i0 < m; i0 += T) {
    const i1 = Math.min(m, i0 + T);
    for (let q0 = p0; q0 < p1; q0 += T) {
      const q1 = Math.min(p1, q0 + T);
      for (let i = i0; i < i1; i++) {
        const row = i * k;
        for (let p = q0; p < q1; p++) dst[p * m + i] = src[row + p];
      }
    }
  }
}
