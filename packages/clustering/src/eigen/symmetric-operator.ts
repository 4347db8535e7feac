import type { RowSource } from '../matrix-rows.ts';

/**
 * A symmetric linear operator on R^n, applied to a block of vectors at once
 * (each vector its own Float64Array of length n). The iterative eigensolver
 * only needs this, so a normalised affinity D^-1/2 S D^-1/2 can be applied
 * without ever forming it (no second n x n array), from memory or in one
 * pass over a matrix file.
 */
export interface SymmetricOperator {
  n: number;
  /** out[c] = A x[c] for every vector c of the block; `out` vectors are overwritten. */
  apply(x: Float64Array[], out: Float64Array[]): Promise<void>;
}

/**
 * out[c] = S x[c] for a dense row-major n x n matrix S; four vectors per
 * pass over a row so each matrix entry is loaded once per four products.
 * With `clipNegative`, negative entries count as 0 (max(S_ij, 0)).
 */
export function denseBlockProduct(s: Float64Array, n: number, x: Float64Array[], out: Float64Array[], clipNegative = false): void {
  rowsBlockProduct(s, 0, n, n, x, out, clipNegative);
}

/** Entries [from, to) of out[c] = S x[c], from rows [from, to) of S (`s`: those rows, row-major, n columns). */
export function rowsBlockProduct(s: Float64Array, from: number, to: number, n: number, x: Float64Array[], out: Float64Array[], clipNegative = false): void {
  const b = x.length;
  let c = 0;
  for (; c + 3 < b; c += 4) {
    const x0 = x[c], x1 = x[c + 1], x2 = x[c + 2], x3 = x[c + 3];
    const o0 = out[c], o1 = out[c + 1], o2 = out[c + 2], o3 = out[c + 3];
    for (let i = from; i < to; i++) {
      const row = (i - from) * n;
      let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
      if (clipNegative) {
        for (let j = 0; j < n; j++) {
          const a = s[row + j];
          if (a <= 0) continue;
          s0 += a * x0[j]; s1 += a * x1[j]; s2 += a * x2[j]; s3 += a * x3[j];
        }
      } else {
        for (let j = 0; j < n; j++) {
          const a = s[row + j];
          s0 += a * x0[j]; s1 += a * x1[j]; s2 += a * x2[j]; s3 += a * x3[j];
        }
      }
      o0[i] = s0; o1[i] = s1; o2[i] = s2; o3[i] = s3;
    }
  }
  for (; c < b; c++) {
    const xc = x[c], oc = out[c];
    for (let i = from; i < to; i++) {
      const row = (i - from) * n;
      let s0 = 0, s1 = 0;
      let j = 0;
      if (clipNegative) {
        for (; j < n; j++) {
          const a = s[row + j];
          if (a > 0) s0 += a * xc[j];
        }
      } else {
        for (; j + 1 < n; j += 2) {
          s0 += s[row + j] * xc[j];
          s1 += s[row + j + 1] * xc[j + 1];
        }
        for (; j < n; j++) s0 += s[row + j] * xc[j];
      }
      oc[i] = s0 + s1;
    }
  }
}

/** The operator x -> S x of a dense symmetric row-major matrix (not copied). */
export function denseOperator(s: Float64Array, n: number): SymmetricOperator {
  if (s.length !== n * n) throw new RangeError(`${s.length} values for ${n} x ${n}`);
  return { n, apply: async (x, out) => denseBlockProduct(s, n, x, out) };
}

/**
 * The operator x -> D^-1/2 S+ D^-1/2 x, with S+ = max(S, 0) when `clipNegative`
 * (else S itself) and D = diag(row sums of S+) given as `invSqrtDegree`:
 * one pass over the rows of S per block of vectors. Uses one scratch
 * block; S is never copied.
 */
export function normalizedAffinityOperator(s: RowSource, invSqrtDegree: Float64Array, clipNegative: boolean): SymmetricOperator {
  const { n } = s;
  let scratch: Float64Array[] = [];
  return {
    n,
    async apply(x, out) {
      while (scratch.length < x.length) scratch.push(new Float64Array(n));
      const scaled = scratch.slice(0, x.length);
      x.forEach((v, c) => {
        const t = scaled[c];
        for (let i = 0; i < n; i++) t[i] = v[i] * invSqrtDegree[i];
      });
      await s.pass((rows, from, to) => rowsBlockProduct(rows, from, to, n, scaled, out, clipNegative));
      for (const o of out) for (let i = 0; i < n; i++) o[i] *= invSqrtDegree[i];
      if (scratch.length > 64) scratch = [];
    },
  };
}
