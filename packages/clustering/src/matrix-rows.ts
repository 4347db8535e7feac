import { basename, join } from 'node:path';
import { ElasticityError, openMatrixColumnBlocks, readMatrixRowBlocks } from '@elasticity/core';

/** Sees rows [from, to) of a row source: (to - from) x dim values, row-major (row i at (i - from) * dim). */
export type RowVisitor = (rows: Float64Array, from: number, to: number) => void;
/** Sees rows [from, to) of a square matrix beside its columns [from, to) (n x w, entry [j * w + r] = S(j, from + r)). */
export type TransposedVisitor = (rows: Float64Array, columns: Float64Array, from: number, to: number) => void;
/** One pass over every row, in order, block by block. */
export type Pass = (visit: RowVisitor) => Promise<void>;

/** What a clustering reads its rows through: n rows of dim values, in passes. */
export interface Rows {
  n: number;
  dim: number;
  pass: Pass;
}

/** Rows held in memory or read from a matrix file in blocks. */
export interface RowSource extends Rows {
  /** For a square matrix: each row block beside the same columns (the transpose's row block), for a symmetry check. */
  transposedPass(visit: TransposedVisitor): Promise<void>;
  /** Passes made so far (a transposed pass counts the reads it makes). */
  passes(): number;
  /** Rows per block: n when held in memory. */
  blockRows: number;
  /**
   * Whether runs over these rows should share passes (runSharingPasses): a
   * file's, read from disk each pass; not rows in memory, where one run at a
   * time keeps its own arrays in cache.
   */
  sharePasses: boolean;
}

/** Rows of an n x dim row-major array in memory: a pass is one block, the array itself. */
export function memoryRows(values: Float64Array, n: number, dim: number): RowSource {
  if (values.length !== n * dim) throw new RangeError(`${values.length} values for ${n} x ${dim}`);
  let passes = 0;
  return {
    n, dim, blockRows: n, sharePasses: false,
    pass: async (visit) => {
      passes++;
      visit(values, 0, n);
    },
    transposedPass: async (visit) => {
      if (n !== dim) throw new RangeError(`a ${n} x ${dim} matrix is not square`);
      passes++;
      // the whole matrix is its own column block: entry [j * n + r] is S(j, r)
      visit(values, values, 0, n);
    },
    passes: () => passes,
  };
}

/**
 * The rows of a square n x n matrix file over `ids`, read in blocks of
 * `blockRows` on every pass (the file is never held whole). Rows that are
 * not `ids` in order are refused naming the file. A transposed pass writes
 * the column blocks to a scratch file in `scratchDir` first (removed after).
 */
export function fileRows(file: string, ids: Int32Array, blockRows: number, scratchDir: string): RowSource {
  const n = ids.length;
  let passes = 0;
  // once a pass has read every value (each checked finite), later passes do not scan them again
  let finiteChecked = false;
  /** One pass: blocks of exactly blockRows rows (copied), or views of the file's record batches of at most that many (`views`: no copy). */
  const eachBlock = async (visit: (values: Float64Array, from: number, to: number) => Promise<void> | void, views: boolean) => {
    passes++;
    const read = await readMatrixRowBlocks(file, blockRows, n, { views, finiteChecked });
    for await (const block of read.blocks()) {
      for (let r = 0; r < block.rowIds.length; r++) {
        if (block.rowIds[r] !== ids[block.from + r]) {
          throw new ElasticityError(`row ${block.from + r} is example ${block.rowIds[r]}, but column ${block.from + r} is ${ids[block.from + r]}: the matrix is not square over the same examples`, { file, field: 'id' });
        }
      }
      await visit(block.values, block.from, block.to);
    }
    finiteChecked = true;
  };
  return {
    n, dim: n, blockRows, sharePasses: true,
    // a pass needs the rows in order, not blocks of one size: views, no copy of the values
    pass: (visit) => eachBlock(visit, true),
    transposedPass: async (visit) => {
      const columns = await openMatrixColumnBlocks(join(scratchDir, `.${basename(file)}-columns.scratch`), n, blockRows);
      try {
        await eachBlock((values, from, to) => columns.append({ from, to, values }), true);
        // row block a beside column block a: blocks of exactly blockRows
        await eachBlock(async (values, from, to) => visit(values, await columns.read(from, to), from, to), false);
      } finally {
        await columns.close();
      }
    },
    passes: () => passes,
  };
}
