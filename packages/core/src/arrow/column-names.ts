import { open } from 'node:fs/promises';
import { RecordBatchReader } from './apache-arrow.cjs';
import { ElasticityError } from '../errors.ts';

/**
 * The column names of an Arrow IPC file, from its schema alone (no record
 * batch is read): enough to tell a features file (`x`) from a matrix file
 * (`row`) before deciding how to read a file that may be larger than memory.
 */
export async function readColumnNames(file: string): Promise<string[]> {
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
    const names = reader.schema?.fields.map((f) => f.name) ?? [];
    if (names.length === 0) throw new Error('no schema');
    return names;
  } catch (cause) {
    throw new ElasticityError(`not a readable Arrow IPC file (${(cause as Error).message})`, { file, field: 'arrow', cause });
  } finally {
    await handle.close().catch(() => undefined);
  }
}
