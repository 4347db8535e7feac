import { contractOfTable, decodeArrowTable, decodeMeta, readInputFile, validateContractTable } from '@elasticity/core';
import { checkArrowFraming } from './arrow-magic.ts';

export interface InspectOptions {
  file: string;
  /** How many rows to show. */
  rows: number;
  /** JSON instead of text. */
  json: boolean;
  /** Metadata values whole instead of cut. */
  full: boolean;
}

function preview(value: unknown, width = 6): unknown {
  if (value === null || value === undefined) return value;
  if (typeof value === 'object' && 'toArray' in (value as object)) {
    const arr = Array.from((value as { toArray(): ArrayLike<number> }).toArray());
    return arr.length > width ? [...arr.slice(0, width).map(round), `… ${arr.length} values`] : arr.map(round);
  }
  return typeof value === 'number' ? round(value) : value;
}

function round(v: number): number {
  return Number.isInteger(v) ? v : Number(v.toPrecision(6));
}

/** Metadata lines longer than this are cut unless --full. */
const METADATA_WIDTH = 120;

function truncate(text: string, max: number): string {
  return text.length > max ? text.slice(0, max - 1) + '…' : text;
}

/**
 * `elasticity inspect FILE`: an Arrow file's schema, metadata and first
 * rows, checked against its contract when it names one. Returns the text
 * (or JSON) to print; a file that is empty, not Arrow IPC, truncated or
 * corrupt is one ElasticityError naming it.
 */
export async function inspectFile(options: InspectOptions): Promise<string> {
  const bytes = await readInputFile(options.file);
  checkArrowFraming(bytes, options.file);
  const table = await decodeArrowTable(bytes, options.file);
  const contract = contractOfTable(table);
  if (contract) validateContractTable(table, options.file, contract);
  const meta = decodeMeta(table.schema.metadata);
  const rows = [];
  for (let i = 0; i < Math.min(options.rows, table.numRows); i++) {
    const row: Record<string, unknown> = {};
    for (const f of table.schema.fields) row[f.name] = preview(table.getChild(f.name)!.get(i));
    rows.push(row);
  }
  const out = {
    file: options.file,
    contract: contract?.name ?? 'unknown',
    valid: contract !== undefined,
    rows: table.numRows,
    batches: table.batches.length,
    schema: table.schema.fields.map((f) => ({ name: f.name, type: String(f.type), nullable: f.nullable })),
    metadata: 'missing' in meta ? Object.fromEntries(table.schema.metadata) : meta,
    head: rows,
  };
  if (options.json) return JSON.stringify(out, null, 2) + '\n';
  const metadata = Object.entries(out.metadata).map(([k, v]) => `  ${k}: ${typeof v === 'string' ? v : JSON.stringify(v)}`);
  const cut = options.full ? metadata : metadata.map((line) => truncate(line, METADATA_WIDTH));
  const lines = [
    `${out.file}: ${out.contract} file${contract ? ' (valid)' : ''}, ${out.rows} rows in ${out.batches} batch(es)`,
    'schema:',
    ...out.schema.map((f) => `  ${f.name}: ${f.type}`),
    'metadata:',
    ...cut,
    ...(cut.some((line, i) => line !== metadata[i]) ? [`  (lines cut at ${METADATA_WIDTH} characters: --full shows them whole)`] : []),
    `first ${rows.length} rows:`,
    ...rows.map((r) => '  ' + truncate(JSON.stringify(r), 160)),
  ];
  return lines.join('\n') + '\n';
}
