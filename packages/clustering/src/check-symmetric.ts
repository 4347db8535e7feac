import { ElasticityError } from '@elasticity/core';
import type { RowSource } from './matrix-rows.ts';

/** How the messages of checkSymmetric name the matrix. */
export interface MatrixNames {
  /** What the matrix is: "kernel", "affinity". */
  noun: string;
  /** Its letter in an entry: K(i, j), S(i, j). */
  symbol: string;
  /** Who needs it symmetric, as the message opens: "kernel K-means needs a symmetric matrix". */
  neededBy: string;
}

/** What the check saw on its way: the diagonal and the number of negative entries. */
export interface MatrixFacts {
  diagonal: Float64Array;
  negative: number;
}

/**
 * Throws an ElasticityError unless the square matrix of `rows` holds finite
 * entries and is symmetric within a relative tolerance: |m_ij - m_ji| at
 * most tolerance * max(|m_ij|, |m_ji|), plus a tiny absolute floor (1e-15
 * of the largest entry) so that entries that should be 0 may differ by
 * rounding. Two passes (a file's transposed pass reads it twice more);
 * returns the diagonal and the count of negative entries.
 */
export async function checkSymmetric(rows: RowSource, tolerance: number, names: MatrixNames, where: { file?: string; field?: string }): Promise<MatrixFacts> {
  const { n } = rows;
  if (rows.dim !== n) throw new ElasticityError(`${names.noun} has ${n} rows of ${rows.dim} values, expected ${n} x ${n}`, where);
  let maxAbs = 0;
  let negative = 0;
  const diagonal = new Float64Array(n);
  await rows.pass((m, from, to) => {
    for (let q = 0; q < (to - from) * n; q++) {
      const v = m[q];
      if (!Number.isFinite(v)) throw new ElasticityError(`${names.noun} entry (${from + Math.floor(q / n)}, ${q % n}) is ${v}`, where);
      if (Math.abs(v) > maxAbs) maxAbs = Math.abs(v);
      if (v < 0) negative++;
    }
    for (let i = from; i < to; i++) diagonal[i] = m[(i - from) * n + i];
  });
  const floor = maxAbs * 1e-15;
  const { symbol } = names;
  await rows.transposedPass((m, columns, from, to) => {
    const w = to - from;
    for (let i = from; i < to; i++) {
      const r = i - from;
      for (let j = i + 1; j < n; j++) {
        const a = m[r * n + j], b = columns[j * w + r];
        if (Math.abs(a - b) > tolerance * Math.max(Math.abs(a), Math.abs(b)) + floor) {
          throw new ElasticityError(
            `${names.neededBy}, but ${symbol}(${i}, ${j}) = ${a} and ${symbol}(${j}, ${i}) = ${b} (relative tolerance ${tolerance}); symmetrise it first`,
            where,
          );
        }
      }
    }
  });
  return { diagonal, negative };
}
