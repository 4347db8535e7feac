import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { ElasticityError } from './errors.ts';

/** SHA-256 of a file's bytes, hex encoded. */
export async function sha256File(file: string): Promise<string> {
  const hash = createHash('sha256');
  try {
    for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  } catch (cause) {
    throw new ElasticityError(`cannot read file (${(cause as NodeJS.ErrnoException).code ?? cause})`, { file, cause });
  }
  return hash.digest('hex');
}

export function sha256(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

/** JSON with object keys sorted at every level: equal values give equal text. */
export function stableStringify(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) out[key] = sortKeys((value as Record<string, unknown>)[key]);
    return out;
  }
  return value;
}

/** Short content hash of a JSON value (key order does not matter). */
export function hashJson(value: unknown): string {
  return sha256(stableStringify(value)).slice(0, 16);
}
