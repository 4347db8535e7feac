import { createHash, randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import { link, lstat, mkdir, open, readdir, readFile, realpath, rename, rm } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { isNxHash } from './nx-hash.ts';
import { BodyTooLargeError, BodyLengthError } from './cache-store.ts';
import type { CacheStore, GetResult, PutLimits, PutResult } from './cache-store.ts';

const CHECKSUM_SUFFIX = '.sha256';
const CORRUPT_SUFFIX = '.corrupt';
/** Temp files start with a dot and hold letters, so they can never be taken for an entry (digits only). */
const TEMP_NAME = /^\..*\.upload-[0-9a-f]+$/;
/** `sha256sum` format, so `sha256sum -c HASH.sha256` checks an entry by hand. */
const CHECKSUM_LINE = /^([0-9a-f]{64}) {2}([0-9]{1,20})\n$/;

/**
 * Cache entries as files in one folder: HASH (the bytes Nx uploaded) and
 * HASH.sha256 (their SHA-256, written after the entry). An upload streams into
 * a temp file in the same folder, is flushed, then hard-linked to its final
 * name: the link fails when the name exists, so of several concurrent uploads
 * of one hash exactly one is stored and nothing is ever replaced (an entry
 * found corrupt is moved aside to HASH.corrupt; then the hash can be stored
 * again). One server per folder: opening the store removes what killed
 * uploads left behind.
 */
export class DiskStore implements CacheStore {
  private constructor(readonly dir: string) {}

  /** Creates the folder if needed and removes leftovers of killed uploads; `log` hears what was removed. */
  static async open(dir: string, log: (line: string) => void = () => {}): Promise<DiskStore> {
    await mkdir(dir, { recursive: true, mode: 0o700 });
    const store = new DiskStore(await realpath(dir));
    const removed = await store.removeLeftovers();
    if (removed.length > 0) log(`removed ${removed.length} leftover(s) of interrupted uploads: ${removed.slice(0, 5).join(', ')}${removed.length > 5 ? ', …' : ''}`);
    return store;
  }

  private path(hash: string): string {
    // The server validates first; this keeps the store safe on its own.
    if (!isNxHash(hash)) throw new Error(`not an Nx hash: ${JSON.stringify(hash.slice(0, 40))}`);
    return join(this.dir, hash);
  }

  async has(hash: string): Promise<boolean> {
    try {
      return (await lstat(this.path(hash))).isFile();
    } catch (error) {
      if (isCode(error, 'ENOENT')) return false;
      throw error;
    }
  }

  async put(hash: string, body: AsyncIterable<Uint8Array>, limits: PutLimits): Promise<PutResult> {
    const entry = this.path(hash);
    if (await this.has(hash)) return { status: 'exists' };
    const temp = this.tempName(hash);
    try {
      const { size, sha256 } = await writeNewFile(temp, body, limits);
      try {
        await link(temp, entry);
      } catch (error) {
        if (isCode(error, 'EEXIST')) return { status: 'exists' };
        throw error;
      }
      const checksumTemp = this.tempName(hash + CHECKSUM_SUFFIX);
      try {
        await writeNewFile(checksumTemp, [Buffer.from(`${sha256}  ${hash}\n`)], { maxBytes: 1024 });
        await rename(checksumTemp, entry + CHECKSUM_SUFFIX);
      } catch (error) {
        // The entry is ours (the link succeeded): without its checksum it must not stay.
        await rm(checksumTemp, { force: true });
        await rm(entry, { force: true });
        throw error;
      }
      return { status: 'stored', size, sha256 };
    } finally {
      await rm(temp, { force: true });
    }
  }

  /**
   * The entry, streamed, if its bytes still match the recorded SHA-256. An
   * entry that does not (or whose checksum is unreadable) is moved aside to
   * HASH.corrupt, so the next upload of that hash can store good bytes.
   */
  async get(hash: string): Promise<GetResult> {
    const found = await this.verified(hash);
    if (found.status === 'corrupt') await this.quarantine(hash);
    return found;
  }

  private async verified(hash: string): Promise<GetResult> {
    const entry = this.path(hash);
    let recorded: string;
    try {
      recorded = await readFile(entry + CHECKSUM_SUFFIX, 'utf8');
    } catch (error) {
      // No checksum yet: the entry is still being published (or does not exist).
      if (isCode(error, 'ENOENT')) return { status: 'missing' };
      throw error;
    }
    const line = CHECKSUM_LINE.exec(recorded);
    if (!line || line[2] !== hash) return { status: 'corrupt', reason: `unreadable checksum file ${hash}${CHECKSUM_SUFFIX}` };
    let handle: FileHandle;
    try {
      handle = await open(entry, constants.O_RDONLY | constants.O_NOFOLLOW);
    } catch (error) {
      if (isCode(error, 'ENOENT')) return { status: 'corrupt', reason: 'entry file missing beside its checksum' };
      if (isCode(error, 'ELOOP')) return { status: 'corrupt', reason: 'entry is a symbolic link' };
      throw error;
    }
    try {
      const stats = await handle.stat();
      if (!stats.isFile()) {
        await handle.close();
        return { status: 'corrupt', reason: 'entry is not a regular file' };
      }
      const digest = createHash('sha256');
      for await (const chunk of handle.createReadStream({ start: 0, autoClose: false })) digest.update(chunk as Buffer);
      const actual = digest.digest('hex');
      if (actual !== line[1]) {
        await handle.close();
        return { status: 'corrupt', reason: `SHA-256 ${actual} does not match the recorded ${line[1]}` };
      }
      // Bounded by the verified size: the stream ends with its last byte, not one read later, so the
      // server's answer is complete the moment the client has it all.
      const body = handle.createReadStream({ start: 0, ...(stats.size > 0 ? { end: stats.size - 1 } : {}), autoClose: true });
      return { status: 'found', size: stats.size, body };
    } catch (error) {
      await handle.close();
      throw error;
    }
  }

  /** Checksum first (the entry then reads as missing), then the entry moves to HASH.corrupt for inspection. */
  private async quarantine(hash: string): Promise<void> {
    const entry = this.path(hash);
    await rm(entry + CHECKSUM_SUFFIX, { force: true });
    try {
      await rename(entry, entry + CORRUPT_SUFFIX);
    } catch (error) {
      if (!isCode(error, 'ENOENT')) throw error;
    }
  }

  private tempName(name: string): string {
    return join(this.dir, `.${name}.upload-${randomBytes(6).toString('hex')}`);
  }

  /** Temp files of killed uploads, entries whose checksum never got written, checksums without an entry. */
  private async removeLeftovers(): Promise<string[]> {
    const names = new Set(await readdir(this.dir));
    const leftovers = [...names].filter((name) => {
      if (TEMP_NAME.test(name)) return true;
      if (isNxHash(name)) return !names.has(name + CHECKSUM_SUFFIX);
      if (name.endsWith(CHECKSUM_SUFFIX)) return !names.has(name.slice(0, -CHECKSUM_SUFFIX.length));
      return false;
    });
    for (const name of leftovers) await rm(join(this.dir, name), { force: true });
    return leftovers.sort();
  }
}

/**
 * Streams `chunks` into a file that must not exist yet (O_EXCL: never through
 * a link planted under the temp name), counting against the limits and
 * hashing, then flushes it to disk.
 */
async function writeNewFile(file: string, chunks: AsyncIterable<Uint8Array> | Iterable<Uint8Array>, limits: PutLimits): Promise<{ size: number; sha256: string }> {
  const handle = await open(file, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, 0o600);
  try {
    const digest = createHash('sha256');
    let size = 0;
    for await (const chunk of chunks) {
      size += chunk.byteLength;
      if (size > limits.maxBytes) throw new BodyTooLargeError(limits.maxBytes);
      digest.update(chunk);
      for (let offset = 0; offset < chunk.byteLength;) offset += (await handle.write(chunk, offset)).bytesWritten;
    }
    if (limits.expectedBytes !== undefined && size !== limits.expectedBytes) throw new BodyLengthError(size, limits.expectedBytes);
    await handle.sync();
    return { size, sha256: digest.digest('hex') };
  } finally {
    await handle.close();
  }
}

function isCode(error: unknown, code: string): boolean {
  return (error as NodeJS.ErrnoException)?.code === code;
}
