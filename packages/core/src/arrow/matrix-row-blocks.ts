import { ElasticityError } from '../errors.ts';
import { readMatrixBlocks } from './matrix-blocks.ts';
import type { MatrixBlock, MatrixHeader } from './matrix-blocks.ts';

/** Rows [from, to) of a matrix file: (to - from) x columns values, row-major, with their ids (and steps, for a probe's file). */
export interface MatrixRowBlock {
  from: number;
  to: number;
  rowIds: Int32Array;
  values: Float64Array;
  eta?: Float64Array;
}

/** A matrix file read in blocks of a chosen number of rows, whatever record batches it was written in. */
export interface MatrixRowBlocks {
  header: MatrixHeader;
  /** Rows in blocks of `blockRows` (the last may be shorter); the file is closed when they end. */
  blocks(): AsyncGenerator<MatrixRowBlock>;
  /** The rows of the largest record batch seen so far (a record batch is decoded whole). */
  largestBatchRows(): number;
  close(): Promise<void>;
}

export interface MatrixRowBlocksOptions {
  /**
   * Hand out views of the record batches instead of copies: blocks of at
   * most blockRows rows, none spanning two record batches (so some may be
   * shorter). For readers that need the rows in order but not blocks of an
   * exact size (a pass of the cluster stage): no copy of the file's values.
   * Default false: blocks of exactly blockRows rows, fresh arrays.
   */
  views?: boolean;
  /** The values were checked finite by an earlier read of the same files (a later pass): not scanned again. Default false. */
  finiteChecked?: boolean;
}

/** One of the files a matrix's rows are stored in, in order (the row shards of a stage), and the rows it must hold. */
export interface MatrixFilePart {
  file: string;
  rows: number;
}

/**
 * Reads a matrix file in blocks of exactly `blockRows` rows (the last one
 * shorter), cut from and across its record batches, so that a stage's
 * blocks are a function of its own budget, not of how the file was
 * written. Memory: one record batch and one block. `rows` is the number of
 * rows the caller expects; a file with more or fewer is refused naming the file.
 * Given parts (files in order, each with its rows), reads them as one matrix:
 * blocks run across the files' boundaries; the header is the first file's.
 */
export async function readMatrixRowBlocks(source: string | MatrixFilePart[], blockRows: number, rows?: number, options: MatrixRowBlocksOptions = {}): Promise<MatrixRowBlocks> {
  if (!Number.isInteger(blockRows) || blockRows < 1) throw new RangeError(`blockRows ${blockRows} must be a positive integer`);
  const parts = typeof source === 'string' ? [{ file: source, rows: rows ?? NaN }] : source;
  if (parts.length === 0 || !parts.every((p) => Number.isInteger(p.rows) && p.rows >= 0)) throw new RangeError('every part needs a whole number of rows');
  const total = parts.reduce((sum, p) => sum + p.rows, 0);
  const check = { finiteChecked: options.finiteChecked };
  let opened = await readMatrixBlocks(parts[0].file, check);
  const { header } = opened;
  const n = header.columnIds.length;
  let largest = 0;
  return {
    header,
    largestBatchRows: () => largest,
    close: () => opened.close(),
    blocks: async function* blocks() {
      let from = 0;
      let filled = 0;
      let withEta: boolean | undefined;
      let rowIds = new Int32Array(options.views ? 0 : Math.min(blockRows, total));
      let values = new Float64Array(rowIds.length * n);
      let eta: Float64Array | undefined;
      for (const [k, part] of parts.entries()) {
        const { file } = part;
        if (k > 0) opened = await readMatrixBlocks(file, check);
        if (opened.header.columnIds.length !== n) throw new ElasticityError(`has ${opened.header.columnIds.length} columns, ${parts[0].file} ${n}`, { file, field: 'metadata.column_ids' });
        let read = 0;
        for await (const batch of opened.blocks() as AsyncGenerator<MatrixBlock>) {
          largest = Math.max(largest, batch.rowIds.length);
          withEta ??= batch.eta !== undefined;
          if (withEta !== (batch.eta !== undefined)) throw new ElasticityError(withEta ? 'has no eta column, as the files before it' : 'has an eta column the files before it lack', { file, field: 'eta' });
          if (options.views) {
            // views of this record batch, blockRows rows at most
            for (let taken = 0; taken < batch.rowIds.length;) {
              if (read >= part.rows) throw new ElasticityError(`holds more than the ${part.rows} rows expected`, { file, field: 'id' });
              const count = Math.min(batch.rowIds.length - taken, blockRows, part.rows - read);
              yield {
                from, to: from + count, rowIds: batch.rowIds.subarray(taken, taken + count), values: batch.values.subarray(taken * n, (taken + count) * n),
                ...(batch.eta ? { eta: batch.eta.subarray(taken, taken + count) } : {}),
              };
              from += count;
              taken += count;
              read += count;
            }
            continue;
          }
          if (withEta) eta ??= new Float64Array(rowIds.length);
          let taken = 0;
          while (taken < batch.rowIds.length) {
            if (read >= part.rows) throw new ElasticityError(`holds more than the ${part.rows} rows expected`, { file, field: 'id' });
            const count = Math.min(batch.rowIds.length - taken, rowIds.length - filled, part.rows - read);
            rowIds.set(batch.rowIds.subarray(taken, taken + count), filled);
            values.set(batch.values.subarray(taken * n, (taken + count) * n), filled * n);
            eta?.set(batch.eta!.subarray(taken, taken + count), filled);
            taken += count;
            filled += count;
            read += count;
            if (filled === rowIds.length) {
              yield { from, to: from + filled, rowIds, values, ...(eta ? { eta } : {}) };
              from += filled;
              filled = 0;
              const next = Math.min(blockRows, total - from);
              // a new block each time: the caller may keep the one it was given
              rowIds = new Int32Array(next);
              values = new Float64Array(next * n);
              eta = eta ? new Float64Array(next) : undefined;
            }
          }
        }
        if (read !== part.rows) throw new ElasticityError(`holds ${read} rows, expected ${part.rows}`, { file, field: 'id' });
      }
    },
  };
}
