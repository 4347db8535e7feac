import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream, existsSync } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import { get as httpGet } from 'node:http';
import type { IncomingMessage } from 'node:http';
import { get as httpsGet } from 'node:https';
import { basename, dirname, join, resolve } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Transform } from 'node:stream';
import { x as extractTar } from 'tar';
import { ElasticityError, createLogger } from '@elasticity/core';
import { CIFAR10_TEST_FILE, CIFAR10_TRAIN_FILES } from './readers/cifar10.ts';

/**
 * Published SHA-256 of the files fetched (the same values appear in many
 * independent download scripts; CIFAR-10's archive is 170,052,171 bytes,
 * MD5 c32a1d4ab5d03f1284b67883e8d87530). A file whose checksum is known is
 * accepted only when it matches.
 */
export const MNIST_SHA256: Record<string, string> = {
  'train-images-idx3-ubyte.gz': '440fcabf73cc546fa21475e81ea370265605f56be210a4024d2ca8f203523609',
  'train-labels-idx1-ubyte.gz': '3552534a0a558bbed6aed32b30c495cca23d567ec52cac8be1a0730e8010255c',
  't10k-images-idx3-ubyte.gz': '8d422c7b0a1c1c79245a5bcf07fe86e33eeafee792b84584aec276f5a2dbc4e6',
  't10k-labels-idx1-ubyte.gz': 'f7ae60f92e00ec6debd23a6088c31dbd2371eca3ffa0defaefb259924204aec6',
};
export const CIFAR10_ARCHIVE = 'cifar-10-binary.tar.gz';
export const CIFAR10_SHA256: Record<string, string> = {
  [CIFAR10_ARCHIVE]: 'c4a38c50a1bc5f3a1c5537f2155ab9d68f9f25eb1ed8d9ddda3db29a59bca1dd',
};
/** Public locations (the MNIST mirror TensorFlow uses; the CIFAR-10 home page). */
export const MNIST_BASE_URL = 'https://storage.googleapis.com/cvdf-datasets/mnist/';
export const CIFAR10_BASE_URL = 'https://www.cs.toronto.edu/~kriz/';
export const DOWNLOADABLE = ['mnist', 'cifar10'] as const;
export type DownloadableDataset = (typeof DOWNLOADABLE)[number];

const MAX_REDIRECTS = 5;
/** A connection that sends nothing for this long is dropped (and retried). */
const SOCKET_TIMEOUT_MS = 30_000;

/** A failure worth another try: network errors, server errors (5xx), an interrupted body. */
class TransientDownloadError extends ElasticityError {}

export interface RetryOptions {
  /** Attempts in all (default 4). */
  attempts?: number;
  /** Wait before the second attempt, doubled after each failure (default 1000 ms). */
  backoffMs?: number;
}
const log = createLogger('download');

function sha256OfFile(file: string): Promise<string> {
  return new Promise((ok, fail) => {
    const hash = createHash('sha256');
    createReadStream(file).on('data', (c) => hash.update(c)).on('end', () => ok(hash.digest('hex'))).on('error', fail);
  });
}

function request(url: string, redirects = 0): Promise<IncomingMessage> {
  return new Promise((ok, fail) => {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      fail(new ElasticityError(`not a valid URL: ${url}`, { field: 'baseUrl' }));
      return;
    }
    const get = parsed.protocol === 'https:' ? httpsGet : parsed.protocol === 'http:' ? httpGet : undefined;
    if (!get) {
      fail(new ElasticityError(`unsupported protocol ${parsed.protocol} (http or https)`, { file: url, field: 'baseUrl' }));
      return;
    }
    const req = get(parsed, (res) => {
      const status = res.statusCode ?? 0;
      if (status >= 300 && status < 400 && res.headers.location) {
        res.resume();
        if (redirects >= MAX_REDIRECTS) fail(new ElasticityError(`more than ${MAX_REDIRECTS} redirects`, { file: url, field: 'http' }));
        else request(new URL(res.headers.location, parsed).toString(), redirects + 1).then(ok, fail);
        return;
      }
      if (status !== 200) {
        res.resume();
        const Err = status >= 500 || status === 429 ? TransientDownloadError : ElasticityError;
        fail(new Err(`HTTP status ${status}`, { file: url, field: 'http' }));
        return;
      }
      ok(res);
    });
    req.setTimeout(SOCKET_TIMEOUT_MS, () => req.destroy(new Error(`no data for ${SOCKET_TIMEOUT_MS / 1000} s`)));
    req.on('error', (cause) => fail(new TransientDownloadError(`request failed (${cause.message})`, { file: url, field: 'http', cause })));
  });
}

/**
 * Downloads `url` to `dest`: streamed into a temp file beside it while
 * hashing, checked against `sha256` (required when known; when null the
 * computed hash is logged), then renamed. Never leaves a partial file under
 * the final name. An existing `dest` with the right checksum is kept.
 * Network errors, 5xx answers and interrupted or corrupted transfers are
 * retried with exponential backoff; a 4xx answer is final.
 */
export async function downloadFile(
  url: string,
  dest: string,
  sha256: string | null,
  retry: RetryOptions = {},
): Promise<{ file: string; sha256: string; skipped: boolean }> {
  if (sha256 !== null && existsSync(dest) && (await sha256OfFile(dest)) === sha256) {
    log.info(`${basename(dest)} present and verified`);
    return { file: dest, sha256, skipped: true };
  }
  const attempts = retry.attempts ?? 4;
  let wait = retry.backoffMs ?? 1000;
  for (let attempt = 1; ; attempt++) {
    try {
      return await downloadOnce(url, dest, sha256);
    } catch (error) {
      if (!(error instanceof TransientDownloadError) || attempt >= attempts) throw error;
      log.warn(`${basename(dest)}: ${error.message}; attempt ${attempt + 1} of ${attempts} in ${(wait / 1000).toFixed(1)} s`);
      await new Promise((r) => setTimeout(r, wait));
      wait *= 2;
    }
  }
}

async function downloadOnce(url: string, dest: string, sha256: string | null): Promise<{ file: string; sha256: string; skipped: boolean }> {
  await mkdir(dirname(dest), { recursive: true });
  const temp = join(dirname(dest), `.${basename(dest)}.download-${process.pid}-${randomBytes(4).toString('hex')}`);
  try {
    const res = await request(url);
    const hash = createHash('sha256');
    const hasher = new Transform({
      transform(chunk, _enc, done) {
        hash.update(chunk);
        done(null, chunk);
      },
    });
    try {
      await pipeline(res, hasher, createWriteStream(temp));
    } catch (cause) {
      throw new TransientDownloadError(`download interrupted (${(cause as Error).message})`, { file: url, field: 'http', cause });
    }
    const actual = hash.digest('hex');
    if (sha256 !== null && actual !== sha256.toLowerCase()) {
      // A corrupted transfer is worth another try; a wrong file fails again and ends with this error.
      throw new TransientDownloadError(`SHA-256 ${actual} does not match the expected ${sha256}; file discarded`, { file: url, field: 'sha256' });
    }
    if (sha256 === null) log.warn(`${basename(dest)}: no known checksum, SHA-256 is ${actual}`);
    await rename(temp, dest);
    log.info(`${basename(dest)} downloaded and verified`);
    return { file: dest, sha256: actual, skipped: false };
  } finally {
    await rm(temp, { force: true });
  }
}

export interface DownloadOptions {
  /** Folder for raw data (default data/raw, relative to the working directory). */
  rawDir?: string;
  /** Overrides the public base URL (a mirror, or a local server in tests). */
  baseUrl?: string;
  /** Overrides the expected SHA-256 per file name (null = not known). */
  checksums?: Record<string, string | null>;
  /** Retries of each file (attempts, backoff). */
  retry?: RetryOptions;
}

function joinUrl(base: string, name: string): string {
  return base.endsWith('/') ? base + name : `${base}/${name}`;
}

/**
 * Downloads a public data set into rawDir: MNIST as the four IDX .gz files in
 * rawDir/mnist; CIFAR-10 as rawDir/cifar-10-binary.tar.gz, extracted to
 * rawDir/cifar-10-batches-bin (extracted into a temp folder, then renamed).
 * Returns the folder the ingest stage reads.
 */
export async function downloadDataset(name: DownloadableDataset, options: DownloadOptions = {}): Promise<string> {
  const rawDir = resolve(options.rawDir ?? 'data/raw');
  const expected = (file: string, known: Record<string, string>) =>
    options.checksums && file in options.checksums ? options.checksums[file] : (known[file] ?? null);
  if (name === 'mnist') {
    const dir = join(rawDir, 'mnist');
    for (const file of Object.keys(MNIST_SHA256)) {
      await downloadFile(joinUrl(options.baseUrl ?? MNIST_BASE_URL, file), join(dir, file), expected(file, MNIST_SHA256), options.retry);
    }
    return dir;
  }
  if (name !== 'cifar10') throw new ElasticityError(`unknown data set "${name}" (one of ${DOWNLOADABLE.join(', ')})`, { field: 'dataset' });
  const archive = join(rawDir, CIFAR10_ARCHIVE);
  await downloadFile(joinUrl(options.baseUrl ?? CIFAR10_BASE_URL, CIFAR10_ARCHIVE), archive, expected(CIFAR10_ARCHIVE, CIFAR10_SHA256), options.retry);
  const target = join(rawDir, 'cifar-10-batches-bin');
  const staging = join(rawDir, `.cifar-extract-${process.pid}-${randomBytes(4).toString('hex')}`);
  await mkdir(staging, { recursive: true });
  try {
    try {
      await extractTar({ file: archive, cwd: staging, strict: true });
    } catch (cause) {
      throw new ElasticityError(`cannot extract (${(cause as Error).message})`, { file: archive, field: 'tar', cause });
    }
    const extracted = join(staging, 'cifar-10-batches-bin');
    for (const file of [...CIFAR10_TRAIN_FILES, CIFAR10_TEST_FILE]) {
      if (!existsSync(join(extracted, file))) throw new ElasticityError(`archive has no cifar-10-batches-bin/${file}`, { file: archive, field: 'tar' });
    }
    await rm(target, { recursive: true, force: true });
    await rename(extracted, target);
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
  log.info(`extracted to ${target}`);
  return target;
}
