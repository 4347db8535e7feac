import { open, rm } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import type { MatrixRowBlock } from './matrix-row-blocks.ts';

/** Column blocks of an n x n matrix kept in a scratch file: block [from, to) of the columns, read back whole. */
export interface MatrixColumnBlocks {
  /** Appends the next rows (in order, from row 0): each of their column tiles goes to its place in the scratch file. */
  append(block: Pick<MatrixRowBlock, 'from' | 'to' | 'values'>): Promise<void>;
  /**
   * Columns [from, to) of every row, once all rows are appended: n x (to - from)
   * values, row-major (entry [j * (to - from) + c] is S(j, from + c)); `from`
   * and `to` must be a column block's bounds.
   */
  read(from: number, to: number): Promise<Float64Array>;
  /** Closes and removes the scratch file. */
  close(): Promise<void>;
}

/**
 * The out-of-core transpose of a square n x n matrix read in row blocks: the
 * columns are cut into blocks of `blockColumns`, and each row block's tile
 * of each column block is written to `scratch` where that column block's
 * n x w slice lies (the slice of columns [a, a + w) starts at byte 8 a n).
 * Reading column block a back is then one contiguous read: with row block a
 * of the matrix it gives row block a of S^T, for (S + S^T) / 2 or a
 * symmetry check. The scratch file holds the whole matrix (8 n^2 bytes);
 * memory holds one tile row at a time.
 */
export async function openMatrixColumnBlocks(scratch: string, n: number, blockColumns: number): Promise<MatrixColumnBlocks> {
  const handle: FileHandle = await open(scratch, 'wx+');
  let appended = 0;
  const remove = async () => {
    await handle.close().catch(() => undefined);
    await rm(scratch, { force: true });
  };
  return {
    append: async ({ from, to, values }) => {
      if (from !== appended) throw new Error(`column blocks: rows from ${from} appended after ${appended}`);
      const rows = to - from;
      for (let a = 0; a < n; a += blockColumns) {
        const w = Math.min(blockColumns, n - a);
        const tile = new Float64Array(rows * w);
        for (let r = 0; r < rows; r++) tile.set(values.subarray(r * n + a, r * n + a + w), r * w);
        await writeAll(handle, new Uint8Array(tile.buffer), 8 * (a * n + from * w));
      }
      appended = to;
    },
    read: async (from, to) => {
      if (appended !== n) throw new Error(`column blocks: ${appended} of ${n} rows appended`);
      if (from % blockColumns !== 0 || (to !== Math.min(n, from + blockColumns))) throw new Error(`column blocks: [${from}, ${to}) is not a block of ${blockColumns}`);
      const out = new Float64Array(n * (to - from));
      const bytes = new Uint8Array(out.buffer);
      let done = 0;
      while (done < bytes.length) {
        const { bytesRead } = await handle.read(bytes, done, bytes.length - done, 8 * from * n + done);
        if (bytesRead === 0) throw new Error(`column blocks: scratch file ${scratch} ends early`);
        done += bytesRead;
      }
      return out;
    },
    close: remove,
  };
}

async function writeAll(handle: FileHandle, bytes: Uint8Array, position: number): Promise<void> {
  let done = 0;
  while (done < bytes.length) {
    const { bytesWritten } = await handle.write(bytes, done, bytes.length - done, position + done);
    done += bytesWritten;
  }
}
