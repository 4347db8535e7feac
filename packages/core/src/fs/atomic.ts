import { mkdir, rename, rm, writeFile, open } from 'node:fs/promises';
import { dirname, basename, join } from 'node:path';
import { randomBytes } from 'node:crypto';

function tempNameFor(file: string): string {
  return join(dirname(file), `.${basename(file)}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`);
}

/**
 * Writes `data` to `file` atomically: to a temp file in the same folder,
 * flushed, then renamed over the final name. A crash leaves either the old
 * file or the new one, never a half-written one under the final name.
 */
export async function writeFileAtomic(file: string, data: Uint8Array | string): Promise<void> {
  await mkdir(dirname(file), { recursive: true });
  const temp = tempNameFor(file);
  try {
    const handle = await open(temp, 'w');
    try {
      await handle.writeFile(data);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, file);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}

/** A file written in parts: to `temp` first; `commit` flushes it and renames it to its final name, `discard` removes it. */
export interface AtomicTarget {
  temp: string;
  commit(): Promise<void>;
  discard(): Promise<void>;
}

/** The temp name beside `file` that a streamed output is written to, published under `file` only once whole. */
export async function atomicTarget(file: string): Promise<AtomicTarget> {
  await mkdir(dirname(file), { recursive: true });
  const temp = tempNameFor(file);
  return {
    temp,
    commit: async () => {
      const handle = await open(temp, 'r+');
      try {
        await handle.sync();
      } finally {
        await handle.close();
      }
      await rename(temp, file);
    },
    discard: () => rm(temp, { force: true }),
  };
}

/**
 * Writes several files so that they appear together: all are written to a
 * temp folder beside `dir`, then each is renamed into `dir`. Used for outputs
 * made of several files (a saved model).
 */
export async function writeFilesAtomic(dir: string, files: Record<string, Uint8Array | string>): Promise<void> {
  await mkdir(dir, { recursive: true });
  const temp = tempNameFor(join(dir, 'files'));
  await mkdir(temp);
  try {
    for (const [name, data] of Object.entries(files)) await writeFile(join(temp, name), data);
    for (const name of Object.keys(files)) await rename(join(temp, name), join(dir, name));
  } finally {
    await rm(temp, { recursive: true, force: true });
  }
}

/** Removes a stage's output folder before the stage runs, so nothing stale survives. */
export async function clearDir(dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
}
