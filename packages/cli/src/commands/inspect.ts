import type { Argv, CommandModule } from 'yargs';
import { contractOfTable, decodeMeta, readArrowTable, validateContractTable } from '@elasticity/core';

interface InspectArgs {
  file: string;
  rows: number;
  json: boolean;
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

export const inspectCommand: CommandModule<object, InspectArgs> = {
  command: 'inspect <file>',
  describe: 'show an Arrow file\'s schema, metadata and first rows, and check it against its contract',
  builder: (y: Argv) =>
    y
      .positional('file', { type: 'string', demandOption: true })
      .option('rows', { type: 'number', default: 5, describe: 'how many rows to show' })
      .option('json', { type: 'boolean', default: false, describe: 'print JSON instead of text' }) as unknown as Argv<InspectArgs>,
  handler: async (args) => {
    const table = await readArrowTable(args.file);
    const contract = contractOfTable(table);
    if (contract) validateContractTable(table, args.file, contract);
    const meta = decodeMeta(table.schema.metadata);
    const rows = [];
    for (let i = 0; i < Math.min(args.rows, table.numRows); i++) {
      const row: Record<string, unknown> = {};
      for (const f of table.schema.fields) row[f.name] = preview(table.getChild(f.name)!.get(i));
      rows.push(row);
    }
    const out = {
      file: args.file,
      contract: contract?.name ?? 'unknown',
      valid: contract !== undefined,
      rows: table.numRows,
      batches: table.batches.length,
      schema: table.schema.fields.map((f) => ({ name: f.name, type: String(f.type), nullable: f.nullable })),
      metadata: 'missing' in meta ? Object.fromEntries(table.schema.metadata) : meta,
      head: rows,
    };
    if (args.json) {
      process.stdout.write(JSON.stringify(out, null, 2) + '\n');
      return;
    }
    const lines = [
      `${out.file}: ${out.contract} file${contract ? ' (valid)' : ''}, ${out.rows} rows in ${out.batches} batch(es)`,
      'schema:',
      ...out.schema.map((f) => `  ${f.name}: ${f.type}`),
      'metadata:',
      ...Object.entries(out.metadata).map(([k, v]) => `  ${k}: ${typeof v === 'string' ? truncate(v) : truncate(JSON.stringify(v))}`),
      `first ${rows.length} rows:`,
      ...rows.map((r) => '  ' + truncate(JSON.stringify(r), 160)),
    ];
    process.stdout.write(lines.join('\n') + '\n');
  },
};

function truncate(text: string, max = 120): string {
  return text.length > max ? text.slice(0, max - 1) + '…' : text;
}
