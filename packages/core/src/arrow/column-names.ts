import { open } from 'node:fs/promises';
import type { Schema } from 'apache-arrow';
import { RecordBatchReader } from './apache-arrow.cjs';
import { ElasticityError } from '../errors.ts';

/**
 * The schema of an Arrow IPC file (its columns and its metadata) read from
 * the file's head alone, no record batch: for files larger than memory
 * (a 40,000-example kernel is 12.8 GB, which readArrowTable cannot hold).
 */
export async function readArrowSchema(file: string): Promise<Schema> {
  let handle;
  try {
    handle = await open(file);
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException).code;
    throw new ElasticityError(code === 'ENOENT' ? 'file not found' : `cannot read file (${code ?? cause})`, { file, field: 'path', cause });
  }
  try {
    const reader = await RecordBatchReader.from(handle);
    await reader.open();
    if (reader.schema === undefined || reader.schema.fields.length === 0) throw new Error('no schema');
    return reader.schema;
  } catch (cause) {
    throw new ElasticityError(`not a readable Arrow IPC file (${(cause as Error).message})`, { file, field: 'arrow', cause });
  } finally {
    await handle.close().catch(() => undefined);
  }
}

/**
 * The column names of an Arrow IPC file, from its schema alone: enough to
 * tell a features file (`x`) from a matrix file (`row`) before deciding how
 * to read a file that may be larger than memory.
 */
export async function readColumnNames(file: string): Promise<string[]> {
  return (await readArrowSchema(file)).fields.map((f) => f.name);
}
