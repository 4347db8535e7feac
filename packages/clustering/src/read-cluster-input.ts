import { ElasticityError, assertSquare, readArrowTable, readFeaturesFile, readMatrixFile } from '@elasticity/core';

/** What a clustering runs on: feature rows, or a square matrix over the examples. */
export type ClusterInput =
  | { type: 'features'; kind: string; ids: Int32Array; values: Float64Array; dim: number }
  | { type: 'matrix'; kind: string; ids: Int32Array; values: Float64Array };

/**
 * Reads a similarity-stage output. The schema decides the contract: a
 * features file has an `x` column, a matrix file a `row` column.
 */
export async function readClusterInput(file: string): Promise<ClusterInput> {
  const table = await readArrowTable(file);
  const names = table.schema.fields.map((f) => f.name);
  if (names.includes('x')) {
    const { features } = await readFeaturesFile(file);
    return { type: 'features', kind: features.kind, ids: features.ids, values: features.values, dim: features.dim };
  }
  if (names.includes('row')) {
    const { matrix } = await readMatrixFile(file);
    assertSquare(matrix, file);
    return { type: 'matrix', kind: matrix.kind, ids: matrix.rowIds, values: matrix.values };
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
