import { mkdir, rename, rm } from 'node:fs/promises';
import { dirname, basename, join } from 'node:path';
import { randomBytes } from 'node:crypto';

/**
 * Runs `work` with a fresh temp folder beside `outDir`; when it succeeds the
 * temp folder replaces `outDir` in one rename. When it fails (or the process
 * dies) nothing partial is left under `outDir`: the temp folder is removed
 * and so is any earlier output, which no longer matches the request.
 */
export async function withStagingDir<T>(outDir: string, work: (stagingDir: string) => Promise<T>): Promise<T> {
  const parent = dirname(outDir);
  await mkdir(parent, { recursive: true });
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
    throw error;
  }
}
