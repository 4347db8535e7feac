import { ElasticityError } from '@elasticity/core';

/** How the messages of checkSymmetric name the matrix. */
export interface MatrixNames {
  /** What the matrix is: "kernel", "affinity". */
  noun: string;
  /** Its letter in an entry: K(i, j), S(i, j). */
  symbol: string;
  /** Who needs it symmetric, as the message opens: "kernel K-means needs a symmetric matrix". */
  neededBy: string;
}

/**
 * Throws an ElasticityError unless `m` holds n x n finite entries (row-major)
 * and is symmetric within a relative tolerance: |m_ij - m_ji| at most
 * tolerance * max(|m_ij|, |m_ji|), plus a tiny absolute floor (1e-15 of the
 * largest entry) so that entries that should be 0 may differ by rounding.
 */
export function checkSymmetric(m: Float64Array, n: number, tolerance: number, names: MatrixNames, where: { file?: string; field?: string }): void {
  if (m.length !== n * n) throw new ElasticityError(`${names.noun} has ${m.length} values, expected ${n} x ${n}`, where);
  let maxAbs = 0;
  for (let i = 0; i < m.length; i++) {
    const v = m[i];
    if (!Number.isFinite(v)) throw new ElasticityError(`${names.noun} entry (${Math.floor(i / n)}, ${i % n}) is ${v}`, where);
    if (Math.abs(v) > maxAbs) maxAbs = Math.abs(v);
  }
  const floor = maxAbs * 1e-15;
  const { symbol } = names;
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const a = m[i * n + j], b = m[j * n + i];
      if (Math.abs(a - b) > tolerance * Math.max(Math.abs(a), Math.abs(b)) + floor) {
        throw new ElasticityError(
          `${names.neededBy}, but ${symbol}(${i}, ${j}) = ${a} and ${symbol}(${j}, ${i}) = ${b} (relative tolerance ${tolerance}); symmetrise it first`,
          where,
        );
      }
    }
  }
}
