import { Field, RecordBatch, Schema, Struct, Table, makeData, tableFromIPC, tableToIPC, Vector } from './apache-arrow.cjs';
import type { FixedSizeList, DataType } from 'apache-arrow';
import { ElasticityError } from '../errors.ts';
import { writeFileAtomic } from '../fs/atomic.ts';
import { readInputFile } from '../fs/read.ts';
import { decodeTimeLimitMs, tryDecodeInWorker } from './decode-guard.ts';
import { arrowType, columnData, describeKind, isFloatKind, isListKind, typeMatches } from './columns.ts';
import type { ColumnSpec, ColumnValues } from './columns.ts';
import type { Contract } from './contract.ts';
import { CONTRACTS } from './contract.ts';
import { decodeMeta, encodeMeta } from './metadata.ts';
import type { StageMeta } from './metadata.ts';

export interface ContractTable {
  file: string;
  rows: number;
  columns: Record<string, ColumnValues>;
  /** Row length of each list column. */
  listSizes: Record<string, number>;
  meta: StageMeta;
}

/** Writes columns as one record batch under `contract`, atomically. */
export async function writeContractFile(
  file: string,
  contract: Contract,
  columns: Record<string, ColumnValues>,
  meta: Omit<StageMeta, 'schemaVersion'>,
): Promise<void> {
  await writeFileAtomic(file, encodeContractTable(contract, columns, meta));
}

/** Encodes columns as Arrow IPC file bytes (validating lengths first). */
export function encodeContractTable(
  contract: Contract,
  columns: Record<string, ColumnValues>,
  meta: Omit<StageMeta, 'schemaVersion'>,
): Uint8Array {
  const batch = contractRecordBatch(contract, columns, meta);
  return tableToIPC(new Table(batch.schema, [batch]), 'file');
}

/** Columns as one record batch under `contract`, its schema carrying `meta` (validating lengths first). */
export function contractRecordBatch(
  contract: Contract,
  columns: Record<string, ColumnValues>,
  meta: Omit<StageMeta, 'schemaVersion'>,
): RecordBatch {
  const specs = [...contract.required, ...(contract.optional ?? []).filter((s) => columns[s.name] !== undefined)];
  const rows = columns[contract.required[0].name].length;
  const fields: Field[] = [];
  const children = specs.map((spec) => {
    const values = columns[spec.name];
    if (values === undefined) throw new Error(`${contract.name}: column "${spec.name}" missing when writing`);
    let listSize = 0;
    if (isListKind(spec.kind)) {
      listSize = rows === 0 ? 0 : values.length / rows;
      if (!Number.isInteger(listSize)) throw new Error(`${contract.name}: column "${spec.name}" has ${values.length} values for ${rows} rows`);
    } else if (values.length !== rows) {
      throw new Error(`${contract.name}: column "${spec.name}" has ${values.length} rows, expected ${rows}`);
    }
    fields.push(new Field(spec.name, arrowType(spec.kind, listSize), false));
    return columnData(spec.kind, values, rows, listSize);
  });
  const schema = new Schema(fields, encodeMeta({ ...meta, schemaVersion: contract.schemaVersion }));
  return new RecordBatch(schema, makeData({ type: new Struct(fields), length: rows, nullCount: 0, children }));
}

/** Reads and decodes an Arrow IPC file (file or stream format), with one clear error if it is not one. */
export async function readArrowTable(file: string): Promise<Table> {
  return decodeArrowTable(await readInputFile(file), file);
}

/**
 * Decodes Arrow IPC bytes. Corrupt bytes give one ElasticityError naming the
 * file, never an exception from inside apache-arrow and never a hang (the
 * bytes are tried in a worker with a time limit first, see decode-guard.ts).
 */
export async function decodeArrowTable(bytes: Uint8Array, file: string): Promise<Table> {
  const problem = await tryDecodeInWorker(bytes);
  if (problem === 'timeout') {
    throw new ElasticityError(`not a readable Arrow IPC file (decoding did not finish within ${(decodeTimeLimitMs(bytes.byteLength) / 1000).toFixed(1)} s: corrupt offsets?)`, { file, field: 'arrow' });
  }
  if (problem !== undefined) throw new ElasticityError(`not a readable Arrow IPC file (${problem})`, { file, field: 'arrow' });
  let table: Table;
  try {
    table = tableFromIPC(bytes);
    for (const batch of table.batches) for (const child of batch.data.children) void child.values;
  } catch (cause) {
    throw new ElasticityError(`not a readable Arrow IPC file (${(cause as Error).message})`, { file, field: 'arrow', cause });
  }
  if (table.schema.fields.length === 0) throw new ElasticityError('Arrow file has no columns', { file, field: 'schema' });
  return table;
}

/** Reads a file and checks it against a contract: columns, types, nulls, finite values, metadata. */
export async function readContractFile(file: string, contract: Contract): Promise<ContractTable> {
  return validateContractTable(await readArrowTable(file), file, contract);
}

/** `finiteChecked`: the caller has read these values through this check before (a file read again pass after pass): skip the scan for non-finite values. */
export function validateContractTable(table: Table, file: string, contract: Contract, options: { finiteChecked?: boolean } = {}): ContractTable {
  const decoded = decodeMeta(table.schema.metadata);
  if ('missing' in decoded) {
    throw new ElasticityError(`metadata key "${decoded.missing}" missing or malformed: not a ${contract.name} file written by this toolkit`, { file, field: 'metadata' });
  }
  if (decoded.schemaVersion !== contract.schemaVersion) {
    throw new ElasticityError(
      `${contract.name} schema_version ${decoded.schemaVersion} is not the supported version ${contract.schemaVersion}; re-run the stage that wrote it`,
      { file, field: 'schema_version' },
    );
  }
  for (const key of contract.requiredMeta ?? []) {
    if (!(key in decoded.extra)) throw new ElasticityError(`metadata key "${key}" missing: not a ${contract.name} file`, { file, field: 'metadata' });
  }
  const rows = table.numRows;
  const columns: Record<string, ColumnValues> = {};
  const listSizes: Record<string, number> = {};
  const specs: Array<[ColumnSpec, boolean]> = [
    ...contract.required.map((s): [ColumnSpec, boolean] => [s, true]),
    ...(contract.optional ?? []).map((s): [ColumnSpec, boolean] => [s, false]),
  ];
  for (const [spec, required] of specs) {
    const field = table.schema.fields.find((f) => f.name === spec.name);
    if (!field) {
      if (required) throw new ElasticityError(`column missing (a ${contract.name} file needs ${describeKind(spec.kind)} "${spec.name}")`, { file, field: spec.name });
      continue;
    }
    if (!typeMatches(spec.kind, field.type)) {
      throw new ElasticityError(`column has type ${String(field.type)}, expected ${describeKind(spec.kind)}`, { file, field: spec.name });
    }
    const vector = table.getChild(spec.name)!;
    if (vector.nullCount > 0) throw new ElasticityError(`column has ${vector.nullCount} null values`, { file, field: spec.name });
    const values = extractValues(spec, vector, field.type, rows);
    if (isListKind(spec.kind)) listSizes[spec.name] = (field.type as FixedSizeList).listSize;
    if (isFloatKind(spec.kind) && !options.finiteChecked) assertFinite(values as Float32Array | Float64Array, file, spec.name, listSizes[spec.name] ?? 1);
    columns[spec.name] = values;
  }
  return { file, rows, columns, listSizes, meta: decoded };
}

function extractValues(spec: ColumnSpec, vector: Vector, type: DataType, rows: number): ColumnValues {
  if (spec.kind === 'utf8-dict') return vector.toArray() as unknown as string[];
  if (isListKind(spec.kind)) {
    const size = (type as FixedSizeList).listSize;
    const Ctor = spec.kind === 'list-float32' ? Float32Array : spec.kind === 'list-int32' ? Int32Array : Float64Array;
    const chunks = vector.data.map((d) => {
      const flat = d.children[0].values as Float32Array | Float64Array | Int32Array;
      return flat.subarray(d.offset * size, (d.offset + d.length) * size);
    });
    if (chunks.length === 1) return chunks[0];
    const out = new Ctor(rows * size);
    let at = 0;
    for (const chunk of chunks) {
      out.set(chunk, at);
      at += chunk.length;
    }
    return out;
  }
  const chunks = vector.data.map((d) => (d.values as Int32Array).subarray(d.offset, d.offset + d.length));
  if (chunks.length === 1) return chunks[0];
  const out = new (chunks[0].constructor as Int32ArrayConstructor)(rows);
  let at = 0;
  for (const chunk of chunks) {
    out.set(chunk, at);
    at += chunk.length;
  }
  return out;
}

function assertFinite(values: Float32Array | Float64Array, file: string, field: string, rowLength: number): void {
  for (let i = 0; i < values.length; i++) {
    if (!Number.isFinite(values[i])) {
      throw new ElasticityError(`non-finite value ${values[i]} at row ${Math.floor(i / rowLength)}`, { file, field });
    }
  }
}


/** The contract a table (or a file's schema alone: readArrowSchema) claims by its columns (files from elsewhere may lack the toolkit's metadata). */
export function contractOfTable(table: Pick<Table, 'schema'>, contracts: Contract[] = CONTRACTS): Contract | undefined {
  const names = new Set(table.schema.fields.map((f) => f.name));
  return contracts.find((c) => c.required.every((col) => names.has(col.name)) && (c.name !== 'features' || !names.has('target')));
}
