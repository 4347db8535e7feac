import { join } from 'node:path';
import { ElasticityError, openMatrixColumnBlocks, readMatrixRowBlocks, writeMatrixBlocks, writeNeighboursFile } from '@elasticity/core';
import type { MatrixBlock, MatrixBlockOutput, MatrixColumnBlocks, MatrixRowBlock } from '@elasticity/core';
import { emptyNeighbours, rankNeighbourRows } from './elastic-neighbours.ts';
import { inverseSqrtDiagonal, normalizeRows } from './normalize-kernel.ts';
import { symmetrizeRowBlock } from './symmetrize-matrix.ts';
import { seconds } from './source-plan.ts';
import type { SourcePlan, StageWrite } from './source-plan.ts';

/** Bytes per matrix entry the blocked path holds: a row block, its column block (from the scratch file) and the normalised rows. */
export const BLOCK_BYTES_PER_ENTRY = 24;

/** Throws unless the rows of a block are the primary examples ids[from..to), in order (as assertOverIds does for a whole matrix). */
function assertBlockRows(block: MatrixRowBlock, ids: Int32Array, file: string): void {
  for (let r = 0; r < block.rowIds.length; r++) {
    const i = block.from + r;
    if (block.rowIds[r] !== ids[i]) {
      throw new ElasticityError(`row ${i} is example ${block.rowIds[r]}, expected primary example ${ids[i]} (rows must be the primary examples in dataset order)`, { file, field: 'id' });
    }
  }
}

/**
 * What the whole-matrix path writes for one source, from its file in row
 * blocks of `blockRows` (for a matrix over the stage's memory budget).
 * Pass 1 reads the unsymmetrised rows: their diagonal, their elastic
 * neighbours, and their column tiles into a scratch file in the stage's
 * folder; pass 2 reads row block a again beside column block a (row block a
 * of S^T) and writes the block of (S + S^T) / 2, and of its normalised
 * kernel, each as one record batch. Every value is the one the whole path
 * computes, to the bit (the same operations on the same operands).
 */
export async function writeSourceInBlocks(plan: SourcePlan, ids: Int32Array, blockRows: number, context: StageWrite): Promise<void> {
  const { dir, meta, log, config, pipelineFile } = context;
  const started = performance.now();
  const n = ids.length;
  const first = await readMatrixRowBlocks(plan.file, blockRows, n);
  const { header } = first;
  if (header.columnIds.length !== n || header.columnIds.some((id, j) => id !== ids[j])) {
    await first.close();
    throw new ElasticityError(`column_ids are not the ${n} primary examples in dataset order`, { file: plan.file, field: 'metadata.column_ids' });
  }
  if (header.kind !== plan.source) log.warn(`${plan.file}: kind "${header.kind}" written as "${plan.source}"`);
  const symmetrised = plan.plain || plan.normalized;
  const neighbours = plan.neighbours ? emptyNeighbours(ids, config.neighbours.k, plan.source, { file: pipelineFile, field: 'similarity.neighbours.k' }) : undefined;
  let columns: MatrixColumnBlocks | undefined;
  try {
    columns = symmetrised ? await openMatrixColumnBlocks(join(dir, `.${plan.source}-columns.scratch`), n, blockRows) : undefined;
    const diagonal = new Float64Array(n);
    for await (const block of first.blocks()) {
      assertBlockRows(block, ids, plan.file);
      for (let r = 0; r < block.rowIds.length; r++) diagonal[block.from + r] = block.values[r * n + block.from + r];
      if (neighbours) rankNeighbourRows(block.values, block.from, neighbours);
      if (columns) await columns.append(block);
    }
    const blocks = Math.ceil(n / blockRows);
    log.info(`${plan.source}: ${n} x ${n} read in ${blocks} blocks of up to ${blockRows} rows (similarity.memoryMb ${config.memoryMb})`);
    if (first.largestBatchRows() > blockRows) {
      log.warn(`${plan.file}: its record batches hold up to ${first.largestBatchRows()} rows, each read whole, more than the ${blockRows} similarity.memoryMb allows (write it with a smaller memoryMb in its own stage)`);
    }
    if (neighbours) {
      await writeNeighboursFile(join(dir, `neighbours-${plan.source}.arrow`), neighbours, meta);
      log.info(`neighbours-${plan.source}: ${neighbours.k} most and ${neighbours.k} least moved of each of ${n} examples`);
    }
    if (!columns) return;
    const scale = plan.normalized ? inverseSqrtDiagonal(diagonal, { file: plan.file, field: 'row' }) : undefined;
    const extra = { ...header.extra, source: header.kind, symmetrized: 'true' };
    const outputs: MatrixBlockOutput[] = [];
    if (plan.plain) outputs.push({ file: join(dir, `${plan.source}.arrow`), header: { kind: plan.source, columnIds: ids, extra } });
    if (plan.normalized) outputs.push({ file: join(dir, `${plan.source}-normalized.arrow`), header: { kind: `${plan.source}-normalized`, columnIds: ids, extra: { ...extra, normalized: 'true' } } });
    const second = await readMatrixRowBlocks(plan.file, blockRows, n);
    const rows = second.blocks();
    const transposed = columns;
    try {
      await writeMatrixBlocks(outputs, meta, n, blockRows, async (from, to) => {
        const next = await rows.next();
        if (next.done || next.value.from !== from) throw new Error(`${plan.file}: rows [${from}, ${to}) not read in order`);
        const values = symmetrizeRowBlock(next.value.values, await transposed.read(from, to), from, n);
        const out: MatrixBlock[] = [];
        if (plan.plain) out.push({ rowIds: next.value.rowIds, values });
        if (scale) {
          const normalized = plan.plain ? new Float64Array(values.length) : values;
          normalizeRows(values, from, scale, normalized);
          out.push({ rowIds: next.value.rowIds, values: normalized });
        }
        return out;
      });
    } finally {
      await rows.return(undefined);
    }
    log.info(`${plan.source}${plan.normalized ? (plan.plain ? ' (+ normalised)' : ' (normalised)') : ''}: ${n} x ${n} in ${blocks} blocks in ${seconds(started)} s`);
  } finally {
    await columns?.close();
  }
}
