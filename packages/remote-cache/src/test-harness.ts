// Helpers for this package's tests: a server on 127.0.0.1 in a temp folder, HTTP by fetch or by raw socket.
import { createHash } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { startCacheServer } from './start-server.ts';
import type { CacheServer } from './start-server.ts';

export const WRITE_TOKEN = 'write-token-0123456789abcdef';
export const READ_TOKEN = 'read-token-0123456789abcdef';

export interface TestServer extends CacheServer {
  port: number;
  /** The store folder D (inside `parent`). */
  dir: string;
  /** D's parent: where an escaping write would land. */
  parent: string;
  logs: string[];
}

/** Runs `fn` against a fresh server (port chosen by the system, store in a temp folder), then closes it and removes the folder. */
export async function withCacheServer(fn: (server: TestServer) => Promise<void>, options: { maxBodyBytes?: number; readToken?: string | null } = {}): Promise<void> {
  const parent = await mkdtemp(join(tmpdir(), 'remote-cache-test-'));
  const dir = join(parent, 'store');
  const logs: string[] = [];
  const server = await startCacheServer({
    port: 0,
    dir,
    token: WRITE_TOKEN,
    readToken: options.readToken === null ? undefined : options.readToken ?? READ_TOKEN,
    maxBodyBytes: options.maxBodyBytes ?? 1024 * 1024,
    log: (line) => void logs.push(line),
  });
  let closed = false;
  try {
    await fn({ ...server, port: Number(new URL(server.url).port), dir, parent, logs, close: async () => { closed = true; await server.close(); } });
  } finally {
    if (!closed) await server.close();
    await rm(parent, { recursive: true, force: true });
  }
}

export function entryUrl(server: { url: string }, hash: string): string {
  return `${server.url}/v1/cache/${hash}`;
}

export function put(server: { url: string }, hash: string, body: Uint8Array, token: string = WRITE_TOKEN): Promise<Response> {
  return fetch(entryUrl(server, hash), {
    method: 'PUT',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/octet-stream' },
    body,
  });
}

export async function get(server: { url: string }, hash: string, token: string = WRITE_TOKEN): Promise<{ status: number; body: Buffer; type: string | null }> {
  const response = await fetch(entryUrl(server, hash), { headers: { authorization: `Bearer ${token}` } });
  return { status: response.status, body: Buffer.from(await response.arrayBuffer()), type: response.headers.get('content-type') };
}

export function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

export interface RawResponse {
  /** undefined when the server closed the connection without an answer. */
  status: number | undefined;
  text: string;
}

/**
 * Sends `bytes` as they are over a new loopback connection (no URL
 * normalisation, any header, any length) and reads the answer until the
 * server closes. `cut`: close the socket right after writing, without waiting
 * for an answer (a client dying mid-upload).
 */
export function rawHttp(port: number, bytes: Uint8Array | string, options: { cut?: boolean; timeoutMs?: number } = {}): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`no answer within ${options.timeoutMs ?? 5000} ms`));
    }, options.timeoutMs ?? 5000);
    const finish = () => {
      clearTimeout(timer);
      const text = Buffer.concat(chunks).toString('latin1');
      const status = /^HTTP\/1\.[01] (\d{3})/.exec(text);
      resolve({ status: status ? Number(status[1]) : undefined, text });
    };
    socket.on('data', (chunk) => chunks.push(chunk));
    socket.on('close', finish);
    socket.on('error', () => {}); // a reset after the answer is part of the outcome, not a test error
    socket.write(bytes, () => {
      if (options.cut) socket.destroy();
    });
  });
}

/** Every file and folder under `root` with its size, for before/after comparisons. */
export async function snapshot(root: string, skip?: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(root, { recursive: true, withFileTypes: true })) {
    const path = join(entry.parentPath, entry.name);
    if (skip !== undefined && (path === skip || path.startsWith(skip + '/'))) continue;
    out.push(`${relative(root, path)} ${entry.isDirectory() ? 'dir' : (await stat(path)).size}`);
  }
  return out.sort();
}

/** The store's entries as hash -> SHA-256 of the bytes, checking each recorded checksum on the way. */
export async function storedEntries(dir: string): Promise<Map<string, string>> {
  const entries = new Map<string, string>();
  for (const name of await readdir(dir)) {
    if (!/^[0-9]+$/.test(name)) continue;
    const digest = sha256(await readFile(join(dir, name)));
    const recorded = (await readFile(join(dir, `${name}.sha256`), 'utf8')).split(' ')[0];
    if (recorded !== digest) throw new Error(`${name}: recorded ${recorded}, actual ${digest}`);
    entries.set(name, digest);
  }
  return entries;
}

/** Polls `condition` every 10 ms for up to `ms`. */
export async function eventually(condition: () => boolean | Promise<boolean>, ms = 3000): Promise<boolean> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (await condition()) return true;
    await new Promise((ok) => setTimeout(ok, 10));
  }
  return condition();
}
