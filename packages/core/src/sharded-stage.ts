import { ElasticityError } from './errors.ts';

/**
 * What a row-sharded stage (probe, ntk) runs with: its pipeline section, its
 * input files and output folder, and which rows of its matrices to compute.
 */
export interface ShardedStageOptions {
  /** The stage's section of the pipeline. */
  config: unknown;
  pipelineFile: string;
  datasetFile: string;
  /** The train stage's output folder, holding model/ (trained) and init/ (initial weights). */
  modelDir: string;
  outDir: string;
  /** A row shard: rows [start, end) of the stage's matrices (its rows in dataset order); the shards join with the stage's merge. */
  rows?: [number, number];
  /**
   * The same as a count and an index (what a pipeline runner knows before
   * the data exist): shard `index` of `count` computes the rows
   * [floor(index total / count), floor((index + 1) total / count)).
   */
  shard?: { index: number; count: number };
}

/** What joining a sharded stage's row shards takes. */
export interface ShardMergeOptions {
  /** Output folders of runs with rows [start, end) that together cover every row once, in any order. */
  shardDirs: string[];
  outDir: string;
}

/**
 * The half-open row range a run of a sharded stage computes: `rows` as
 * given, or shard `index` of `count` equal parts of the `total` rows, or
 * every row. `rowsAre` says what the rows are ("primary examples"), for the
 * message when `rows` is not a non-empty range within them.
 */
export function requestedRows(options: Pick<ShardedStageOptions, 'rows' | 'shard'>, total: number, rowsAre: string): [number, number] {
  if (options.rows && options.shard) throw new ElasticityError('give rows or shard, not both', { field: 'shard' });
  const [start, end] = options.shard ? shardRows(options.shard, total) : options.rows ?? [0, total];
  if (!Number.isInteger(start) || !Number.isInteger(end) || start < 0 || end > total || start >= end) {
    throw new ElasticityError(`row range [${start}, ${end}) is not a non-empty range within the ${total} ${rowsAre}`, { field: 'rows' });
  }
  return [start, end];
}

function shardRows({ index, count }: { index: number; count: number }, total: number): [number, number] {
  if (!Number.isInteger(count) || count < 1 || !Number.isInteger(index) || index < 0 || index >= count || count > total) {
    throw new ElasticityError(`shard ${index} of ${count} is not one of 1..${total} shards of the ${total} rows`, { field: 'shard' });
  }
  return [Math.floor((index * total) / count), Math.floor(((index + 1) * total) / count)];
}

/**
 * The params a run of a sharded stage records: its section without
 * `shards` (that only tells the pipeline how to split the work: the result
 * does not depend on it), and `rows`, the range computed when the run is a
 * shard, else null (as the merge of the shards records it).
 */
export function shardedStageParams<T extends { shards: number }>(
  config: T, options: Pick<ShardedStageOptions, 'rows' | 'shard'>, [start, end]: [number, number],
): Omit<T, 'shards'> & { rows: [number, number] | null } {
  const { shards: _shards, ...rest } = config;
  return { ...rest, rows: options.rows || options.shard ? [start, end] : null };
}
