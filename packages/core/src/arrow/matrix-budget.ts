import { ElasticityError } from '../errors.ts';

/** What holding a matrix's rows costs a stage, in bytes. */
export interface MatrixMemoryNeed {
  /** Columns of the matrix (every row has them all). */
  columns: number;
  /** Bytes held per matrix entry while a block is computed and written (the Float64 values and the stage's work arrays of the same shape). */
  bytesPerEntry: number;
  /** Bytes held whatever the block (inputs, features of every example). */
  fixedBytes: number;
}

const MB = 2 ** 20;

/**
 * How many rows of a matrix a stage may compute and write at once within
 * `memoryMb` (at least one): what the budget leaves after the fixed part,
 * over the cost of one row. A budget smaller than the fixed part plus one
 * row is refused, naming the smallest budget that works.
 */
export function matrixRowsWithin(memoryMb: number, need: MatrixMemoryNeed, where: { file: string; field: string }): number {
  const row = need.columns * need.bytesPerEntry;
  const rows = Math.floor((memoryMb * MB - need.fixedBytes) / row);
  if (rows < 1) {
    throw new ElasticityError(
      `${memoryMb} MB cannot hold even one row of the ${need.columns}-column matrix beside the ${(need.fixedBytes / MB).toFixed(0)} MB every block needs: give at least ${Math.ceil((need.fixedBytes + row) / MB)} MB`,
      where,
    );
  }
  return rows;
}
