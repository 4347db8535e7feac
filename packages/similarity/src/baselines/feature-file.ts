import { ElasticityError, readArrowTable } from '@elasticity/core';
import type { FeatureRows } from '@elasticity/core';

// Arrow format type ids and float precisions (Schema.fbs), stable across Arrow versions.
const ARROW_INT = 2;
const ARROW_FLOAT = 3;
const ARROW_FIXED_SIZE_LIST = 16;
const PRECISION_SINGLE = 1;
const PRECISION_DOUBLE = 2;

interface ArrowTypeLike {
  typeId: number;
  bitWidth?: number;
  isSigned?: boolean;
  precision?: number;
  listSize?: number;
  children?: Array<{ type: ArrowTypeLike }>;
}

interface ChunkLike {
  offset: number;
  length: number;
  values: ArrayLike<number> & { subarray(a: number, b: number): ArrayLike<number> };
  children: ChunkLike[];
}

/** Copies a column's chunks (offset-aware) into one flat array of `width` values per row. */
function flatten(chunks: ChunkLike[], width: number, rows: number, list: boolean): Float64Array | Int32Array {
  const out = list ? new Float64Array(rows * width) : new Int32Array(rows);
  let at = 0;
  for (const d of chunks) {
    const values = list ? d.children[0].values : d.values;
    const part = values.subarray(d.offset * width, (d.offset + d.length) * width);
    out.set(part as ArrayLike<number>, at);
    at += d.length * width;
  }
  return out;
}

/**
 * Reads a user-supplied feature file and returns its rows for `ids`, in
 * that order. Accepted: a features file of this toolkit, or any Arrow IPC
 * file with a column `id` (Int32, the data set's example ids) and a column
 * `x` (FixedSizeList<Float32 | Float64>), one row per example; extra rows
 * (other examples) and extra columns are ignored. Errors name the file and
 * the column: missing file or column, wrong type, nulls, non-finite
 * values, repeated ids, and primary examples without a row.
 */
export async function readUserFeatures(file: string, ids: Int32Array, kind: string): Promise<FeatureRows> {
  const table = await readArrowTable(file);
  const fields = table.schema.fields.map((f) => f.name);
  for (const name of ['id', 'x']) {
    if (!fields.includes(name)) {
      throw new ElasticityError(`column missing: a feature file needs "id" (Int32 example ids) and "x" (FixedSizeList<Float32|Float64>); columns: ${fields.join(', ')}`, { file, field: name });
    }
  }
  const idColumn = table.getChild('id')!;
  const xColumn = table.getChild('x')!;
  const idType = idColumn.type as unknown as ArrowTypeLike;
  if (idType.typeId !== ARROW_INT || idType.bitWidth !== 32 || !idType.isSigned) {
    throw new ElasticityError(`column has type ${String(idColumn.type)}, expected Int32 example ids`, { file, field: 'id' });
  }
  const xType = xColumn.type as unknown as ArrowTypeLike;
  const child = xType.children?.[0]?.type;
  if (xType.typeId !== ARROW_FIXED_SIZE_LIST || child?.typeId !== ARROW_FLOAT || (child.precision !== PRECISION_SINGLE && child.precision !== PRECISION_DOUBLE)) {
    throw new ElasticityError(`column has type ${String(xColumn.type)}, expected FixedSizeList<Float32> or FixedSizeList<Float64>`, { file, field: 'x' });
  }
  for (const [name, column] of [['id', idColumn], ['x', xColumn]] as const) {
    if (column.nullCount > 0) throw new ElasticityError(`column has ${column.nullCount} null values`, { file, field: name });
  }
  const dim = xType.listSize ?? 0;
  if (dim < 1) throw new ElasticityError('feature vectors have length 0', { file, field: 'x' });
  const rows = table.numRows;
  const fileIds = flatten(idColumn.data as unknown as ChunkLike[], 1, rows, false) as Int32Array;
  const values = flatten(xColumn.data as unknown as ChunkLike[], dim, rows, true) as Float64Array;

  const rowOf = new Map<number, number>();
  fileIds.forEach((id, r) => {
    if (rowOf.has(id)) throw new ElasticityError(`example id ${id} has two rows (${rowOf.get(id)} and ${r})`, { file, field: 'id' });
    rowOf.set(id, r);
  });
  const missing = Array.from(ids).filter((id) => !rowOf.has(id));
  if (missing.length > 0) {
    const shown = missing.slice(0, 8).join(', ');
    throw new ElasticityError(
      `has no row for ${missing.length} of the ${ids.length} primary examples (ids ${shown}${missing.length > 8 ? ', ...' : ''}); it needs one row per example id of the data set`,
      { file, field: 'id' },
    );
  }
  const out = new Float64Array(ids.length * dim);
  ids.forEach((id, i) => {
    const r = rowOf.get(id)!;
    const row = values.subarray(r * dim, (r + 1) * dim);
    for (let j = 0; j < dim; j++) {
      if (!Number.isFinite(row[j])) throw new ElasticityError(`non-finite value ${row[j]} in the row of example ${id}`, { file, field: 'x' });
    }
    out.set(row, i * dim);
  });
  return { kind, ids: Int32Array.from(ids), values: out, dim };
}
