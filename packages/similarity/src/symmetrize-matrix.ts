import { ElasticityError, assertSquare, symmetrize } from '@elasticity/core';
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
    values: symmetrize(m.values, n),
    extra: { ...(m.extra ?? {}) },
  };
}

/** (S + S^T) / 2 of a square row-major n x n array, written over it (no second n x n array). */
export function symmetrizeInPlace(values: Float64Array, n: number): Float64Array {
  if (values.length !== n * n) throw new RangeError(`${values.length} values for ${n} x ${n}`);
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const v = (values[i * n + j] + values[j * n + i]) / 2;
      values[i * n + j] = v;
      values[j * n + i] = v;
    }
  }
  return values;
}
