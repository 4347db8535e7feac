import { createWriteStream } from 'node:fs';
import { open } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import type { WriteStream } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { RecordBatchFileWriter, RecordBatchReader, Table } from './apache-arrow.cjs';
import type { RecordBatch } from 'apache-arrow';
import { ElasticityError } from '../errors.ts';
import { atomicTarget } from '../fs/atomic.ts';
import { releaseMemory } from '../release-memory.ts';
import { MATRIX_CONTRACT } from './contract.ts';
import { matrixColumns, matrixMetadata, parseColumnIds } from './matrix.ts';
import type { ExampleMatrix } from './matrix.ts';
import type { StageMeta } from './metadata.ts';
import { contractRecordBatch, validateContractTable } from './table-io.ts';

/** What every block of a matrix file shares: its kind, its columns and its metadata. */
export type MatrixHeader = Pick<ExampleMatrix, 'kind' | 'columnIds' | 'extra'>;

/** Consecutive rows of a matrix: rowIds.length x columnIds.length values, row-major. */
export type MatrixBlock = Pick<ExampleMatrix, 'rowIds' | 'values' | 'eta'>;

export interface MatrixBlockWriter {
  /** Appends the rows as one record batch; resolves once they are on their way to disk (at most one block is held). */
  append(block: MatrixBlock): Promise<void>;
  /** Finishes the file and publishes it under its name. */
  close(): Promise<void>;
  /** Removes what was written; nothing appears under the file's name. */
  abort(): Promise<void>;
}

/**
 * A matrix file written block by block (one record batch per block), for
 * matrices larger than the memory a stage may use: the file is a matrix
 * file like any other (readMatrixFile reads it whole, readMatrixBlocks a
 * block at a time) and appears under its name only when closed.
 */
export async function openMatrixBlockWriter(file: string, header: MatrixHeader, meta: Omit<StageMeta, 'schemaVersion' | 'extra'>): Promise<MatrixBlockWriter> {
  const target = await atomicTarget(file);
  const writer = new RecordBatchFileWriter();
  const out: WriteStream = createWriteStream(target.temp, { flags: 'wx' });
  const source = writer.toNodeStream();
  const written = pipeline(source, out);
  let failure: unknown;
  written.catch((error: unknown) => void (failure ??= error));
  let payload = 0;
  let withEta: boolean | undefined;
  const flushed = async (): Promise<void> => {
    // a block's values are at least its payload bytes: wait until the file has them all
    while (out.bytesWritten < payload && failure === undefined) await new Promise((resolve) => setTimeout(resolve, 5));
    if (failure !== undefined) throw failure;
  };
  return {
    append: async (block) => {
      if (block.values.length !== block.rowIds.length * header.columnIds.length) {
        throw new Error(`matrix ${header.kind}: a block of ${block.values.length} values for ${block.rowIds.length} x ${header.columnIds.length}`);
      }
      withEta ??= block.eta !== undefined;
      if (withEta !== (block.eta !== undefined)) throw new Error(`matrix ${header.kind}: every block has eta, or none`);
      const batch: RecordBatch = contractRecordBatch(MATRIX_CONTRACT, matrixColumns({ ...header, ...block }), matrixMetadata(header, meta));
      writer.write(batch);
      payload += block.values.byteLength + block.rowIds.byteLength + (block.eta?.byteLength ?? 0);
      await flushed();
    },
    close: async () => {
      writer.close();
      try {
        await written;
        await target.commit();
      } catch (error) {
        await target.discard();
        throw error;
      }
    },
    abort: async () => {
      // (the writer's own abort rejects a promise nobody can catch: its stream is cut instead)
      source.destroy();
      out.destroy();
      await written.catch(() => undefined);
      await target.discard();
    },
  };
}

/** One output of writeMatrixBlocks: its file and what every block shares. */
export interface MatrixBlockOutput {
  file: string;
  header: MatrixHeader;
}

/**
 * Writes matrices of `rows` rows in blocks of `blockRows`: `blockOf(from, to)`
 * gives each output's rows [from, to), which are appended as one record batch
 * per output before the next block is asked for, and whose memory is freed
 * before it (releaseMemory: else finished blocks pile up until V8 collects
 * them, over the caller's budget). Every output is published
 * once all blocks are written; on a failure none is (each is aborted).
 */
export async function writeMatrixBlocks(
  outputs: MatrixBlockOutput[], meta: Omit<StageMeta, 'schemaVersion' | 'extra'>, rows: number, blockRows: number,
  blockOf: (from: number, to: number) => Promise<MatrixBlock[]> | MatrixBlock[],
): Promise<void> {
  const writers = await Promise.all(outputs.map(({ file, header }) => openMatrixBlockWriter(file, header, meta)));
  try {
    const appendBlock = async (from: number): Promise<void> => {
      const blocks = await blockOf(from, Math.min(rows, from + blockRows));
      for (const [k, writer] of writers.entries()) await writer.append(blocks[k]);
    };
    for (let from = 0; from < rows; from += blockRows) {
      await appendBlock(from);
      // the block's arrays are unreferenced now: free them before the next block is computed
      releaseMemory();
    }
    for (const writer of writers) await writer.close();
  } catch (error) {
    for (const writer of writers) await writer.abort();
    throw error;
  }
}

/** A matrix file opened for reading block by block. */
export interface MatrixBlocks {
  header: MatrixHeader;
  meta: StageMeta;
  /** The file's record batches in order, each checked against the matrix contract (columns, types, finite values); the file is closed when they end. */
  blocks(): AsyncGenerator<MatrixBlock>;
  /** Closes the file without reading the blocks (only the header was wanted). */
  close(): Promise<void>;
}

/**
 * Reads a matrix file one record batch at a time, so that a matrix larger
 * than memory can be read through: memory holds one block (the file is read
 * by position, from its footer, never whole). (readMatrixFile
 * reads the whole file, and first tries its bytes in a worker with a time
 * limit; here each block is decoded as it streams in.)
 */
export async function readMatrixBlocks(file: string, options: { finiteChecked?: boolean } = {}): Promise<MatrixBlocks> {
  const unreadable = (cause: unknown) => new ElasticityError(`not a readable Arrow IPC file (${(cause as Error).message})`, { file, field: 'arrow', cause });
  let handle: FileHandle;
  try {
    handle = await open(file);
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException).code;
    throw new ElasticityError(code === 'ENOENT' ? 'file not found' : `cannot read file (${code ?? cause})`, { file, field: 'path', cause });
  }
  let reader: Awaited<ReturnType<typeof RecordBatchReader.from>>;
  try {
    reader = await RecordBatchReader.from(handle);
    await reader.open();
    if (reader.schema === undefined || reader.schema.fields.length === 0) throw new Error('no schema');
  } catch (cause) {
    await handle.close();
    throw unreadable(cause);
  }
  const check = (batches: RecordBatch[]) => validateContractTable(new Table(reader.schema, batches), file, MATRIX_CONTRACT, options);
  const first = check([]);
  const columnIds = parseColumnIds(first.meta.extra.column_ids, file);
  const { kind, column_ids: _ids, ...extra } = first.meta.extra;
  return {
    header: { kind, columnIds, extra },
    meta: first.meta,
    blocks: async function* blocks() {
      const iterator = reader[Symbol.asyncIterator]();
      try {
        yield* readAll(iterator);
      } finally {
        await handle.close().catch(() => undefined);
      }
    },
    close: () => handle.close().catch(() => undefined),
  };

  async function* readAll(iterator: AsyncIterator<RecordBatch>): AsyncGenerator<MatrixBlock> {
    for (;;) {
      let next: IteratorResult<RecordBatch>;
      try {
        next = await iterator.next();
      } catch (cause) {
        throw unreadable(cause);
      }
      if (next.done) return;
      const t = check([next.value]);
      if (t.rows > 0 && t.listSizes.row !== columnIds.length) {
        throw new ElasticityError(`rows have ${t.listSizes.row} values but column_ids lists ${columnIds.length} examples`, { file, field: 'row' });
      }
      yield { rowIds: t.columns.id as Int32Array, values: t.columns.row as Float64Array, ...(t.columns.eta ? { eta: t.columns.eta as Float64Array } : {}) };
    }
  }
}
