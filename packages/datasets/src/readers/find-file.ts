import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** The first of `names` that exists as a file in `dir`, or undefined. */
export function findFirstFile(dir: string, names: string[]): string | undefined {
  for (const name of names) {
    const file = join(dir, name);
    if (existsSync(file) && statSync(file).isFile()) return file;
  }
  return undefined;
}
