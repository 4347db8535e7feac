import { EigenvalueDecomposition, Matrix } from 'ml-matrix';

/** The k algebraically largest eigenpairs of a symmetric matrix, largest first. */
export interface Eigenpairs {
  /** Eigenvalues, descending. */
  values: Float64Array;
  /** vectors[c] is the unit eigenvector of values[c] (length n). */
  vectors: Float64Array[];
}

/**
 * Eigenpairs of a small symmetric m x m matrix given as rows (ml-matrix's
 * symmetric decomposition: Householder tridiagonalisation + QL), all of
 * them, sorted by decreasing eigenvalue.
 */
export function symmetricEigen(rows: number[][] | Float64Array[]): Eigenpairs {
  const m = rows.length;
  const evd = new EigenvalueDecomposition(new Matrix(rows as number[][]), { assumeSymmetric: true });
  const values = evd.realEigenvalues;
  const v = evd.eigenvectorMatrix;
  const order = Array.from({ length: m }, (_, i) => i).sort((a, b) => values[b] - values[a] || a - b);
  return {
    values: Float64Array.from(order, (i) => values[i]),
    vectors: order.map((i) => Float64Array.from({ length: m }, (_, r) => v.get(r, i))),
  };
}

/**
 * The k largest eigenpairs of a dense symmetric row-major n x n matrix by a
 * full decomposition (O(n^3) time, two n x n copies): for small n and as
 * the reference the iterative solver is tested against.
 */
export function denseTopEigenpairs(s: Float64Array, n: number, k: number): Eigenpairs {
  if (s.length !== n * n) throw new RangeError(`${s.length} values for ${n} x ${n}`);
  if (!Number.isInteger(k) || k < 1 || k > n) throw new RangeError(`k = ${k} must be in 1..${n}`);
  const rows = Array.from({ length: n }, (_, i) => s.subarray(i * n, (i + 1) * n));
  const all = symmetricEigen(rows);
  return { values: all.values.slice(0, k), vectors: all.vectors.slice(0, k) };
}
