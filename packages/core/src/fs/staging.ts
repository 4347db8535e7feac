import { mkdir, readdir, rename, rm, rmdir } from 'node:fs/promises';
import { dirname, basename, join, resolve } from 'node:path';
import { randomBytes } from 'node:crypto';
import { processAlive } from './process-alive.ts';

/**
 * Runs `work` with a fresh temp folder beside `outDir`; when it succeeds the
 * temp folder replaces `outDir` in one rename. When it fails (or the process
 * dies) nothing partial is left under `outDir`: the temp folder is removed
 * and so is any earlier output, which no longer matches the request, and
 * so are the parent folders this call created (a failed first ingest leaves
 * no empty data/NAME/).
 */
export async function withStagingDir<T>(outDir: string, work: (stagingDir: string) => Promise<T>): Promise<T> {
  const parent = dirname(outDir);
  const created = await mkdir(parent, { recursive: true });
  await removeAbandonedStaging(parent, basename(outDir));
  const staging = join(parent, `.${basename(outDir)}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`);
  await mkdir(staging);
  try {
    const result = await work(staging);
    await rm(outDir, { recursive: true, force: true });
    await rename(staging, outDir);
    return result;
  } catch (error) {
    await rm(staging, { recursive: true, force: true });
    await rm(outDir, { recursive: true, force: true });
    if (created !== undefined) await removeEmptyFolders(parent, created);
    throw error;
  }
}

/** Removes `from` and its parents up to `upTo` (both included) while they are empty; stops at the first that is not (another stage wrote there meanwhile). */
async function removeEmptyFolders(from: string, upTo: string): Promise<void> {
  const last = resolve(upTo);
  for (let dir = resolve(from); ; dir = dirname(dir)) {
    try {
      await rmdir(dir);
    } catch {
      return;
    }
    if (dir === last || dirname(dir) === dir) return;
  }
}

/**
 * Staging folders of runs that were killed (kill -9, power loss) stay behind
 * as hidden `.NAME.tmp-PID-*` folders. They are never taken for output (Nx
 * caches only the final folder); the next run of the stage removes those
 * whose process is gone.
 */
export async function removeAbandonedStaging(parent: string, name: string): Promise<string[]> {
  const pattern = new RegExp(`^\\.${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\.tmp-(\\d+)-[0-9a-f]+$`);
  const removed: string[] = [];
  for (const entry of await readdir(parent)) {
    const match = pattern.exec(entry);
    if (match && !processAlive(Number(match[1]))) {
      await rm(join(parent, entry), { recursive: true, force: true });
      removed.push(entry);
    }
  }
  return removed;
}
