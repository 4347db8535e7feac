import { ElasticityError } from '../errors.ts';

/** What holding a matrix's rows costs a stage, in bytes. */
export interface MatrixMemoryNeed {
  /** Columns of the matrix (every row has them all). */
  columns: number;
  /** Bytes held per matrix entry while a block is computed and written (the Float64 values and the stage's work arrays of the same shape). */
  bytesPerEntry: number;
  /** Bytes held whatever the block (inputs, features of every example), beside the runtime's own. */
  fixedBytes: number;
}

const MB = 2 ** 20;
/** What a stage process holds before its data: Node, TensorFlow.js (wasm) and the product workers (measured: about 250 MB). */
export const STAGE_RUNTIME_BYTES = 320 * MB;
/**
 * Each entry counts this many times: a block's arrays (and those of the
 * blocks before it, until the collector frees them) are held while the next
 * block's are made. Measured: the NTK of 40,000 examples in blocks peaked at
 * 3.3 times its block arrays beside the fixed part (tools/bench/kernel-memory.ts).
 */
const BLOCKS_HELD = 4;

/**
 * How many rows of a matrix a stage may compute and write at once within
 * `memoryMb` (at least one): what the budget leaves after the runtime and
 * the fixed part, over the cost of one row (its entries counted four times:
 * earlier blocks' arrays may not be collected yet). A deterministic
 * function of the sizes, so the blocks, and the file's bytes, are the same
 * on every run. A budget smaller than that plus one row is refused, naming
 * the smallest budget that works.
 */
export function matrixRowsWithin(memoryMb: number, need: MatrixMemoryNeed, where: { file: string; field: string }): number {
  const fixed = STAGE_RUNTIME_BYTES + need.fixedBytes;
  const row = need.columns * need.bytesPerEntry * BLOCKS_HELD;
  const rows = Math.floor((memoryMb * MB - fixed) / row);
  if (rows < 1) {
    throw new ElasticityError(
      `${memoryMb} MB cannot hold even one row of the ${need.columns}-column matrix beside the ${(fixed / MB).toFixed(0)} MB the stage holds before its first row (runtime, inputs, features): give at least ${Math.ceil((fixed + row) / MB)} MB`,
      where,
    );
  }
  return rows;
}
