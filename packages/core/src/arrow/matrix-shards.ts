import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { ElasticityError } from '../errors.ts';
import { readMatrixFile, writeMatrixFile } from './matrix.ts';
import type { ExampleMatrix } from './matrix.ts';
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

interface Shard {
  dir: string;
  start: number;
  end: number;
  matrix: ExampleMatrix;
  meta: StageMeta;
}

function shardRange(meta: StageMeta, file: string): [number, number] {
  const rows = meta.params.rows;
  const total = Number(meta.extra[ROW_TOTAL_KEY]);
  if (!Number.isInteger(total)) throw new ElasticityError(`has no integer ${ROW_TOTAL_KEY} (not written by a sharded stage?)`, { file, field: `metadata.${ROW_TOTAL_KEY}` });
  if (rows === null || rows === undefined) return [0, total];
  if (!Array.isArray(rows) || rows.length !== 2 || !rows.every(Number.isInteger)) throw new ElasticityError('params.rows is not a [start, end) pair', { file, field: 'metadata.params.rows' });
  return [rows[0] as number, rows[1] as number];
}

/**
 * Joins the row shards of a stage (each written with params.rows = [start, end))
 * into the files the unsharded stage writes: rows concatenated in order,
 * the same metadata with params.rows = null. Checks that the shards come
 * from the same inputs and parameters and cover every row exactly once.
 * Merging is exact: the merged files are byte for byte the unsharded ones.
 */
export async function mergeMatrixShards(options: MergeMatrixShardsOptions): Promise<void> {
  const { stage, shardDirs, outDir } = options;
  if (shardDirs.length === 0) throw new ElasticityError('no shard folders given', { field: 'shardDirs' });
  const files = options.files ?? (await readdir(shardDirs[0])).filter((f) => f.endsWith('.arrow')).sort();
  if (files.length === 0) throw new ElasticityError('holds no .arrow files', { file: shardDirs[0], field: 'shardDirs' });
  const merged: Array<{ name: string; matrix: ExampleMatrix; meta: StageMeta }> = [];
  for (const name of files) {
    const shards: Shard[] = [];
    for (const dir of shardDirs) {
      const file = join(dir, name);
      const { matrix, meta } = await readMatrixFile(file);
      if (meta.stage !== stage) throw new ElasticityError(`was written by stage "${meta.stage}", not "${stage}"`, { file, field: 'metadata.stage' });
      const [start, end] = shardRange(meta, file);
      if (matrix.rowIds.length !== end - start) throw new ElasticityError(`holds ${matrix.rowIds.length} rows for the range [${start}, ${end})`, { file, field: 'id' });
      shards.push({ dir, start, end, matrix, meta });
    }
    shards.sort((p, q) => p.start - q.start);
    const first = shards[0];
    const file0 = join(first.dir, name);
    const { rows: _rows, ...params0 } = first.meta.params;
    const same = (s: Shard): string | undefined => {
      const { rows: _r, ...params } = s.meta.params;
      if (stableStringify(params) !== stableStringify(params0)) return 'metadata.params';
      if (stableStringify(s.meta.inputs) !== stableStringify(first.meta.inputs)) return 'metadata.inputs';
      if (s.meta.seed !== first.meta.seed || s.meta.schemaVersion !== first.meta.schemaVersion) return 'metadata.seed';
      if (stableStringify(s.matrix.extra ?? {}) !== stableStringify(first.matrix.extra ?? {}) || s.matrix.kind !== first.matrix.kind) return 'metadata';
      if (s.matrix.columnIds.length !== first.matrix.columnIds.length || s.matrix.columnIds.some((v, j) => v !== first.matrix.columnIds[j])) return 'metadata.column_ids';
      if ((s.matrix.eta === undefined) !== (first.matrix.eta === undefined)) return 'eta';
      return undefined;
    };
    let expected = 0;
    for (const s of shards) {
      const field = same(s);
      if (field) throw new ElasticityError(`differs from ${file0}: the shards are not of one run`, { file: join(s.dir, name), field });
      if (s.start !== expected) throw new ElasticityError(`rows [${s.start}, ${s.end}) leave a gap or overlap after row ${expected}`, { file: join(s.dir, name), field: 'metadata.params.rows' });
      expected = s.end;
    }
    const total = Number(first.meta.extra[ROW_TOTAL_KEY]);
    if (expected !== total) throw new ElasticityError(`the shards cover rows [0, ${expected}) of ${total}`, { file: file0, field: 'metadata.params.rows' });
    const n = first.matrix.columnIds.length;
    const rowIds = new Int32Array(total);
    const values = new Float64Array(total * n);
    const eta = first.matrix.eta ? new Float64Array(total) : undefined;
    for (const s of shards) {
      rowIds.set(s.matrix.rowIds, s.start);
      values.set(s.matrix.values, s.start * n);
      if (eta) eta.set(s.matrix.eta!, s.start);
    }
    // the unsharded run's params: the same keys in the same order, rows = null
    const params = { ...first.meta.params, rows: null };
    merged.push({
      name,
      matrix: { kind: first.matrix.kind, rowIds, columnIds: first.matrix.columnIds, values, ...(eta ? { eta } : {}), extra: first.matrix.extra },
      meta: { ...first.meta, params },
    });
  }
  await runStage({ stage, outDir, params: { merge: shardDirs.length }, seed: null, inputFiles: [] }, async ({ dir, log }) => {
    for (const m of merged) {
      await writeMatrixFile(join(dir, m.name), m.matrix, { stage: m.meta.stage, params: m.meta.params, seed: m.meta.seed, inputs: m.meta.inputs });
    }
    log.info(`merged ${shardDirs.length} shards into ${merged.map((m) => m.name).join(', ')} (${merged[0].matrix.rowIds.length} rows)`);
  });
}
