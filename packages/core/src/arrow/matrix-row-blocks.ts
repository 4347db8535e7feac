import { ElasticityError } from '../errors.ts';
import { readMatrixBlocks } from './matrix-blocks.ts';
import type { MatrixBlock, MatrixHeader } from './matrix-blocks.ts';

/** Rows [from, to) of a matrix file: (to - from) x columns values, row-major, with their ids. */
export interface MatrixRowBlock {
  from: number;
  to: number;
  rowIds: Int32Array;
  values: Float64Array;
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

/**
 * Reads a matrix file in blocks of exactly `blockRows` rows (the last one
 * shorter), cut from and across its record batches, so that a stage's
 * blocks are a function of its own budget, not of how the file was
 * written. Memory: one record batch and one block. `rows` is the number of
 * rows the caller expects; a file with more or fewer is refused naming the file.
 */
export async function readMatrixRowBlocks(file: string, blockRows: number, rows: number): Promise<MatrixRowBlocks> {
  if (!Number.isInteger(blockRows) || blockRows < 1) throw new RangeError(`blockRows ${blockRows} must be a positive integer`);
  const opened = await readMatrixBlocks(file);
  const n = opened.header.columnIds.length;
  let largest = 0;
  return {
    header: opened.header,
    largestBatchRows: () => largest,
    close: opened.close,
    blocks: async function* blocks() {
      let from = 0;
      let rowIds = new Int32Array(Math.min(blockRows, rows));
      let values = new Float64Array(rowIds.length * n);
      let filled = 0;
      const tooMany = () => new ElasticityError(`holds more than the ${rows} rows expected`, { file, field: 'id' });
      for await (const batch of opened.blocks() as AsyncGenerator<MatrixBlock>) {
        largest = Math.max(largest, batch.rowIds.length);
        let taken = 0;
        while (taken < batch.rowIds.length) {
          if (from + filled >= rows) throw tooMany();
          const count = Math.min(batch.rowIds.length - taken, rowIds.length - filled);
          rowIds.set(batch.rowIds.subarray(taken, taken + count), filled);
          values.set(batch.values.subarray(taken * n, (taken + count) * n), filled * n);
          taken += count;
          filled += count;
          if (filled === rowIds.length) {
            yield { from, to: from + filled, rowIds, values };
            from += filled;
            filled = 0;
            const next = Math.min(blockRows, rows - from);
            // a new block each time: the caller may keep the one it was given
            rowIds = new Int32Array(next);
            values = new Float64Array(next * n);
          }
        }
      }
      if (from + filled !== rows) throw new ElasticityError(`holds ${from + filled} rows, expected ${rows}`, { file, field: 'id' });
    },
  };
}
