/**
 * Dense float64 products on row-major Float64Arrays. Accumulation is in
 * float64 whatever the input precision.
 */
type Vec = Float64Array | Float32Array;

/**
 * a[ao..ao+len) . b[bo..bo+len) in float64, four partial sums: the one dot
 * product of matMulABt, so a value recomputed elsewhere with it is bit for
 * bit the same as in a float64 product.
 */
export function dot(a: Vec, ao: number, b: Vec, bo: number, len: number): number {
  let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
  let p = 0;
  for (; p + 3 < len; p += 4) {
    s0 += a[ao + p] * b[bo + p];
    s1 += a[ao + p + 1] * b[bo + p + 1];
    s2 += a[ao + p + 2] * b[bo + p + 2];
    s3 += a[ao + p + 3] * b[bo + p + 3];
  }
  for (; p < len; p++) s0 += a[ao + p] * b[bo + p];
  return s0 + s1 + s2 + s3;
}

/** C = A B^T, A: m x k, B: n x k, C: m x n (the Gram-matrix shape). */
export function matMulABt(a: Vec, b: Vec, m: number, n: number, k: number, out = new Float64Array(m * n)): Float64Array {
  const BLOCK = 64;
  for (let i0 = 0; i0 < m; i0 += BLOCK) {
    const i1 = Math.min(m, i0 + BLOCK);
    for (let j0 = 0; j0 < n; j0 += BLOCK) {
      const j1 = Math.min(n, j0 + BLOCK);
      for (let i = i0; i < i1; i++) {
        const ai = i * k;
        for (let j = j0; j < j1; j++) {
          out[i * n + j] = dot(a, ai, b, j * k, k);
        }
      }
    }
  }
  return out;
}

/** C = A B, A: m x k, B: k x n, C: m x n. */
export function matMul(a: Vec, b: Vec, m: number, k: number, n: number, out = new Float64Array(m * n)): Float64Array {
  out.fill(0);
  for (let i = 0; i < m; i++) {
    const ci = i * n;
    for (let p = 0; p < k; p++) {
      const aip = a[i * k + p];
      if (aip === 0) continue;
      const bp = p * n;
      for (let j = 0; j < n; j++) out[ci + j] += aip * b[bp + j];
    }
  }
  return out;
}

/** Euclidean norm of each row of a row-major rows x cols matrix. */
export function rowNorms(a: Vec, rows: number, cols: number): Float64Array {
  const out = new Float64Array(rows);
  for (let i = 0; i < rows; i++) out[i] = Math.sqrt(dot(a, i * cols, a, i * cols, cols));
  return out;
}
