import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { ElasticityError } from '../errors.ts';
import { readMatrixFile, writeMatrixFile } from './matrix.ts';
import type { ExampleMatrix } from './matrix.ts';
import { readMatrixBlocks, writeMatrixBlocks } from './matrix-blocks.ts';
import type { MatrixHeader } from './matrix-blocks.ts';
import { readMatrixRowBlocks } from './matrix-row-blocks.ts';
import { readColumnNames } from './column-names.ts';
import type { StageMeta } from './metadata.ts';
import { stableStringify } from '../hash.ts';
import { runStage } from '../stage.ts';
import type { ShardMergeOptions } from '../sharded-stage.ts';

/** Metadata key (in every matrix file of a row-sharded stage) with the number of rows of the whole matrix. */
export const ROW_TOTAL_KEY = 'row_total';

export interface MergeMatrixShardsOptions extends ShardMergeOptions {
  /** Stage whose shards these are (probe, ntk). */
  stage: string;
  /** Files to merge (default: every .arrow file of the first shard). */
  files?: string[];
}

/** Metadata key (in every matrix file of a row-sharded stage) with the rows per record batch of the whole matrix's file, its stage's budget: merged shards are written in such batches. */
export const BLOCK_ROWS_KEY = 'block_rows';

/** What a shard file says of itself, from its header (its rows are read only when merged). */
interface Shard {
  dir: string;
  file: string;
  start: number;
  end: number;
  header: MatrixHeader;
  meta: StageMeta;
  hasEta: boolean;
}

function shardRange(meta: StageMeta, file: string): [number, number] {
  const rows = meta.params.rows;
  const total = Number(meta.extra[ROW_TOTAL_KEY]);
  if (!Number.isInteger(total)) throw new ElasticityError(`has no integer ${ROW_TOTAL_KEY} (not written by a sharded stage?)`, { file, field: `metadata.${ROW_TOTAL_KEY}` });
  if (rows === null || rows === undefined) return [0, total];
  if (!Array.isArray(rows) || rows.length !== 2 || !rows.every(Number.isInteger)) throw new ElasticityError('params.rows is not a [start, end) pair', { file, field: 'metadata.params.rows' });
  return [rows[0] as number, rows[1] as number];
}

async function readShard(dir: string, name: string, stage: string): Promise<Shard> {
  const file = join(dir, name);
  const opened = await readMatrixBlocks(file);
  await opened.close();
  const { header, meta } = opened;
  if (meta.stage !== stage) throw new ElasticityError(`was written by stage "${meta.stage}", not "${stage}"`, { file, field: 'metadata.stage' });
  const [start, end] = shardRange(meta, file);
  return { dir, file, start, end, header, meta, hasEta: (await readColumnNames(file)).includes('eta') };
}

/** The shards of one file, in row order, checked to be of one run and to cover every row once; returns them with the whole matrix's rows. */
function checkShards(shards: Shard[]): number {
  shards.sort((p, q) => p.start - q.start);
  const first = shards[0];
  const { rows: _rows, ...params0 } = first.meta.params;
  const same = (s: Shard): string | undefined => {
    const { rows: _r, ...params } = s.meta.params;
    if (stableStringify(params) !== stableStringify(params0)) return 'metadata.params';
    if (stableStringify(s.meta.inputs) !== stableStringify(first.meta.inputs)) return 'metadata.inputs';
    if (s.meta.seed !== first.meta.seed || s.meta.schemaVersion !== first.meta.schemaVersion) return 'metadata.seed';
    if (stableStringify(s.header.extra) !== stableStringify(first.header.extra) || s.header.kind !== first.header.kind) return 'metadata';
    if (s.header.columnIds.length !== first.header.columnIds.length || s.header.columnIds.some((v, j) => v !== first.header.columnIds[j])) return 'metadata.column_ids';
    if (s.hasEta !== first.hasEta) return 'eta';
    return undefined;
  };
  let expected = 0;
  for (const s of shards) {
    const field = same(s);
    if (field) throw new ElasticityError(`differs from ${first.file}: the shards are not of one run`, { file: s.file, field });
    if (s.start !== expected) throw new ElasticityError(`rows [${s.start}, ${s.end}) leave a gap or overlap after row ${expected}`, { file: s.file, field: 'metadata.params.rows' });
    expected = s.end;
  }
  const total = Number(first.meta.extra[ROW_TOTAL_KEY]);
  if (expected !== total) throw new ElasticityError(`the shards cover rows [0, ${expected}) of ${total}`, { file: first.file, field: 'metadata.params.rows' });
  return total;
}

/**
 * Joins the row shards of a stage (each written with params.rows = [start, end))
 * into the files the unsharded stage writes: rows concatenated in order,
 * the same metadata with params.rows = null. Checks that the shards come
 * from the same inputs and parameters and cover every row exactly once.
 * Merging is exact: the merged files are byte for byte the unsharded ones.
 * A matrix of more rows than its stage's blocks (BLOCK_ROWS_KEY) is
 * streamed from the shards into record batches of that many rows, as the
 * unsharded stage writes it, never held whole; a smaller one is one record
 * batch.
 */
export async function mergeMatrixShards(options: MergeMatrixShardsOptions): Promise<void> {
  const { stage, shardDirs, outDir } = options;
  if (shardDirs.length === 0) throw new ElasticityError('no shard folders given', { field: 'shardDirs' });
  const files = options.files ?? (await readdir(shardDirs[0])).filter((f) => f.endsWith('.arrow')).sort();
  if (files.length === 0) throw new ElasticityError('holds no .arrow files', { file: shardDirs[0], field: 'shardDirs' });
  const plans: Array<{ name: string; shards: Shard[]; total: number }> = [];
  for (const name of files) {
    const shards: Shard[] = [];
    for (const dir of shardDirs) shards.push(await readShard(dir, name, stage));
    plans.push({ name, shards, total: checkShards(shards) });
  }
  await runStage({ stage, outDir, params: { merge: shardDirs.length }, seed: null, inputFiles: [] }, async ({ dir, log }) => {
    for (const { name, shards, total } of plans) {
      const { header, meta } = shards[0];
      // the unsharded run's params: the same keys in the same order, rows = null
      const out = { stage: meta.stage, params: { ...meta.params, rows: null }, seed: meta.seed, inputs: meta.inputs };
      const blockRows = Number(header.extra?.[BLOCK_ROWS_KEY]);
      if (Number.isInteger(blockRows) && blockRows > 0 && blockRows < total) {
        const read = await readMatrixRowBlocks(shards.map((s) => ({ file: s.file, rows: s.end - s.start })), blockRows);
        const blocks = read.blocks();
        try {
          await writeMatrixBlocks([{ file: join(dir, name), header }], out, total, blockRows, async () => {
            const next = await blocks.next();
            if (next.done) throw new ElasticityError(`the shards ended before row ${total}`, { file: shards[shards.length - 1].file, field: 'id' });
            const { rowIds, values, eta } = next.value;
            return [{ rowIds, values, ...(eta ? { eta } : {}) }];
          });
        } finally {
          await blocks.return(undefined);
        }
        log.info(`merged ${shardDirs.length} shards into ${name} (${total} rows, in blocks of ${blockRows})`);
        continue;
      }
      const n = header.columnIds.length;
      const rowIds = new Int32Array(total);
      const values = new Float64Array(total * n);
      const eta = shards[0].hasEta ? new Float64Array(total) : undefined;
      for (const s of shards) {
        const { matrix } = await readMatrixFile(s.file);
        if (matrix.rowIds.length !== s.end - s.start) throw new ElasticityError(`holds ${matrix.rowIds.length} rows for the range [${s.start}, ${s.end})`, { file: s.file, field: 'id' });
        rowIds.set(matrix.rowIds, s.start);
        values.set(matrix.values, s.start * n);
        if (eta) eta.set(matrix.eta!, s.start);
      }
      const matrix: ExampleMatrix = { kind: header.kind, rowIds, columnIds: header.columnIds, values, ...(eta ? { eta } : {}), extra: header.extra };
      await writeMatrixFile(join(dir, name), matrix, out);
      log.info(`merged ${shardDirs.length} shards into ${name} (${total} rows)`);
    }
  });
}
