import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { ElasticityError } from '../errors.ts';

function readError(file: string, cause: unknown): ElasticityError {
  const code = (cause as NodeJS.ErrnoException).code;
  return new ElasticityError(code === 'ENOENT' ? 'file not found' : `cannot read file (${code ?? cause})`, { file, cause });
}

/** A file's bytes, or one clear error naming it (not found, unreadable). */
export async function readInputFile(file: string): Promise<Buffer> {
  try {
    return await readFile(file);
  } catch (cause) {
    throw readError(file, cause);
  }
}

function parseJson(text: string, file: string): unknown {
  try {
    return JSON.parse(text);
  } catch (cause) {
    throw new ElasticityError(`not valid JSON (${(cause as Error).message})`, { file, cause });
  }
}

/** A JSON file's value, or one clear error naming it. */
export async function readJsonFile(file: string): Promise<unknown> {
  return parseJson((await readInputFile(file)).toString('utf8'), file);
}

/** The same, synchronously (for the Nx plugin, which builds the graph synchronously per file). */
export function readJsonFileSync(file: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (cause) {
    throw readError(file, cause);
  }
  return parseJson(text, file);
}
