import { ElasticityError, assertSquare, readColumnNames, readFeaturesFile, readMatrixBlocks, readMatrixFile } from '@elasticity/core';
import { fileRows, memoryRows } from './matrix-rows.ts';
import type { RowSource } from './matrix-rows.ts';

/** What a clustering runs on: feature rows, or a square matrix over the examples (held in memory, or read from its file in blocks). */
export type ClusterInput =
  | { type: 'features'; kind: string; ids: Int32Array; values: Float64Array; dim: number }
  | { type: 'matrix'; kind: string; ids: Int32Array; rows: RowSource };

/** How a matrix input is read: `blockRowsFor(n)` rows at a time (all n: whole, in memory), with scratch files in `scratchDir`. */
export interface MatrixReading {
  blockRowsFor(n: number): number;
  scratchDir: string;
}

/**
 * Reads a similarity-stage output. The schema decides the contract: a
 * features file has an `x` column, a matrix file a `row` column. A matrix
 * whose rows do not fit in one block is not read here: its rows are read
 * from the file in blocks on every pass.
 */
export async function readClusterInput(file: string, reading: MatrixReading): Promise<ClusterInput> {
  const names = await readColumnNames(file);
  if (names.includes('x')) {
    const { features } = await readFeaturesFile(file);
    return { type: 'features', kind: features.kind, ids: features.ids, values: features.values, dim: features.dim };
  }
  if (names.includes('row')) {
    const opened = await readMatrixBlocks(file);
    await opened.close();
    const ids = opened.header.columnIds;
    const n = ids.length;
    const blockRows = reading.blockRowsFor(n);
    if (blockRows < n) return { type: 'matrix', kind: opened.header.kind, ids, rows: fileRows(file, ids, blockRows, reading.scratchDir) };
    const { matrix } = await readMatrixFile(file);
    assertSquare(matrix, file);
    return { type: 'matrix', kind: matrix.kind, ids: matrix.rowIds, rows: memoryRows(matrix.values, n, n) };
  }
  throw new ElasticityError(`neither a features file (column "x") nor a matrix file (column "row"); columns: ${names.join(', ')}`, { file, field: 'schema' });
}

/** Throws unless the rows are exactly `ids` in that order. */
export function assertRowsAre(input: ClusterInput, ids: Int32Array, file: string): void {
  if (input.ids.length !== ids.length) {
    throw new ElasticityError(`${input.ids.length} rows, but the data set has ${ids.length} primary examples`, { file, field: 'id' });
  }
  for (let i = 0; i < ids.length; i++) {
    if (input.ids[i] !== ids[i]) {
      throw new ElasticityError(`row ${i} is example ${input.ids[i]}, expected primary example ${ids[i]} (dataset order)`, { file, field: 'id' });
    }
  }
}
