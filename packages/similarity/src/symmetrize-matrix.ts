import { ElasticityError, assertSquare, symmetrizeInPlace } from '@elasticity/core';
import type { ExampleMatrix } from '@elasticity/core';

/**
 * Throws unless `m` is square over exactly `ids`, in that order (the primary
 * examples of the data set, in dataset order).
 */
export function assertOverIds(m: ExampleMatrix, ids: Int32Array, file: string): void {
  assertSquare(m, file);
  if (m.rowIds.length !== ids.length) {
    throw new ElasticityError(`matrix has ${m.rowIds.length} rows but the data set has ${ids.length} primary examples`, { file, field: 'id' });
  }
  for (let i = 0; i < ids.length; i++) {
    if (m.rowIds[i] !== ids[i]) {
      throw new ElasticityError(
        `row ${i} is example ${m.rowIds[i]}, expected primary example ${ids[i]} (rows must be the primary examples in dataset order)`,
        { file, field: 'id' },
      );
    }
  }
}

/**
 * (S + S^T) / 2 of a square example matrix, as a new matrix over the same ids.
 * Per-row step sizes (eta) are dropped: a symmetrised row mixes two probes.
 */
export function symmetrizeMatrix(m: ExampleMatrix, file: string): ExampleMatrix {
  assertSquare(m, file);
  const n = m.rowIds.length;
  return {
    kind: m.kind,
    rowIds: Int32Array.from(m.rowIds),
    columnIds: Int32Array.from(m.columnIds),
    values: symmetrizeInPlace(Float64Array.from(m.values), n),
    extra: { ...(m.extra ?? {}) },
  };
}

/**
 * Rows [from, from + w) of (S + S^T) / 2, written over `rows` (those rows of
 * S, row-major, n columns): `columns` holds columns [from, from + w) of S
 * (n x w row-major, entry [j * w + r] = S(j, from + r)), i.e. the same rows
 * of S^T. Each entry is the mean symmetrizeInPlace computes, to the bit;
 * the diagonal stays.
 */
export function symmetrizeRowBlock(rows: Float64Array, columns: Float64Array, from: number, n: number): Float64Array {
  const w = columns.length / n;
  if (rows.length !== w * n) throw new RangeError(`${rows.length} row values and ${columns.length} column values for ${w} rows of ${n}`);
  for (let r = 0; r < w; r++) {
    const i = from + r, row = r * n;
    for (let j = 0; j < n; j++) if (j !== i) rows[row + j] = (rows[row + j] + columns[j * w + r]) / 2;
  }
  return rows;
}
