import { ElasticityError } from '../errors.ts';
import { MATRIX_CONTRACT } from './contract.ts';
import { readContractFile, writeContractFile } from './table-io.ts';
import type { StageMeta } from './metadata.ts';

/**
 * A matrix over examples: row r belongs to example rowIds[r], column c to
 * example columnIds[c]. Square when rows and columns are the same examples;
 * a shard holds a subset of rows.
 */
export interface ExampleMatrix {
  /** relative | kernelized | ntk | similarity kinds. */
  kind: string;
  rowIds: Int32Array;
  columnIds: Int32Array;
  /** Row-major rowIds.length x columnIds.length. */
  values: Float64Array;
  /** Step size used for each row's probe, when the matrix came from probes. */
  eta?: Float64Array;
  /** Further contract keys (loss, eta schedule, ...). */
  extra?: Record<string, string>;
}

export async function writeMatrixFile(file: string, m: ExampleMatrix, meta: Omit<StageMeta, 'schemaVersion' | 'extra'>): Promise<void> {
  if (m.values.length !== m.rowIds.length * m.columnIds.length) {
    throw new Error(`matrix ${m.kind}: ${m.values.length} values for ${m.rowIds.length} x ${m.columnIds.length}`);
  }
  await writeContractFile(file, MATRIX_CONTRACT, matrixColumns(m), matrixMetadata(m, meta));
}

/** A matrix's columns under the matrix contract: id, row (and eta when it has one). */
export function matrixColumns(m: Pick<ExampleMatrix, 'rowIds' | 'values' | 'eta'>): Record<string, Int32Array | Float64Array> {
  const columns: Record<string, Int32Array | Float64Array> = { id: m.rowIds, row: m.values };
  if (m.eta) columns.eta = m.eta;
  return columns;
}

/** A matrix file's metadata: the stage's, its kind, its column ids and its further keys. */
export function matrixMetadata(m: Pick<ExampleMatrix, 'kind' | 'columnIds' | 'extra'>, meta: Omit<StageMeta, 'schemaVersion' | 'extra'>): Omit<StageMeta, 'schemaVersion'> {
  return { ...meta, extra: { ...(m.extra ?? {}), kind: m.kind, column_ids: JSON.stringify(Array.from(m.columnIds)) } };
}

/** The column_ids metadata value: a JSON list of integers. */
export function parseColumnIds(value: string, file: string): Int32Array {
  try {
    const parsed = JSON.parse(value);
    if (!Array.isArray(parsed) || !parsed.every(Number.isInteger)) throw new Error('not integers');
    return Int32Array.from(parsed);
  } catch {
    throw new ElasticityError('column_ids is not a JSON list of integers', { file, field: 'metadata.column_ids' });
  }
}

export async function readMatrixFile(file: string): Promise<{ matrix: ExampleMatrix; meta: StageMeta }> {
  const t = await readContractFile(file, MATRIX_CONTRACT);
  const columnIds = parseColumnIds(t.meta.extra.column_ids, file);
  const cols = t.rows === 0 ? columnIds.length : t.listSizes.row;
  if (cols !== columnIds.length) {
    throw new ElasticityError(`rows have ${cols} values but column_ids lists ${columnIds.length} examples`, { file, field: 'row' });
  }
  const { kind, column_ids: _ids, ...extra } = t.meta.extra;
  const matrix: ExampleMatrix = {
    kind, rowIds: t.columns.id as Int32Array, columnIds, values: t.columns.row as Float64Array, extra,
  };
  if (t.columns.eta) matrix.eta = t.columns.eta as Float64Array;
  return { matrix, meta: t.meta };
}

/** Throws unless the matrix is square over the same ids in the same order. */
export function assertSquare(m: ExampleMatrix, file: string): void {
  const same = m.rowIds.length === m.columnIds.length && m.rowIds.every((id, i) => id === m.columnIds[i]);
  if (!same) throw new ElasticityError('matrix is not square over the same examples (rows and column_ids differ)', { file, field: 'id' });
}
