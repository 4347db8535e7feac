import { randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, open, rm } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { ElasticityError } from '@elasticity/core/light';
import { isNxHash } from './nx-hash.ts';
import { accessOf } from './tokens.ts';
import { DEFAULT_UPSTREAM_TIMEOUTS, cacheEntryUrl, readStatusProblem, sendUpstream, writeStatusProblem } from './upstream-request.ts';
import type { UpstreamTimeouts } from './upstream-request.ts';

export interface CacheRelayOptions {
  /** The real cache server's base URL (NX_SELF_HOSTED_REMOTE_CACHE_SERVER). */
  upstream: string;
  /** The real server's token (NX_SELF_HOSTED_REMOTE_CACHE_ACCESS_TOKEN), sent on every forwarded request. */
  token?: string;
  /** Receives the run's one warning and the closing summary. */
  log: (line: string) => void;
  /** Defaults: 3 s to connect, 30 s of silence. */
  timeouts?: Partial<UpstreamTimeouts>;
  /** After the server is found unreachable or hanging, requests this long are misses without a try (default 10 s). */
  retryAfterMs?: number;
  /** Where the spool folder for downloads is made (default: the system's temp folder). */
  spoolDir?: string;
}

export interface CacheRelay {
  /** http://127.0.0.1:PORT, for NX_SELF_HOSTED_REMOTE_CACHE_SERVER. */
  url: string;
  /** The token the relay accepts (random per relay), for NX_SELF_HOSTED_REMOTE_CACHE_ACCESS_TOKEN. */
  token: string;
  /** Requests that became misses because of the server, so far. */
  failures(): { reads: number; writes: number };
  /** Stops the relay, removes its spool folder, and logs the summary line when anything failed. */
  close(): Promise<void>;
}

const PREFIX = '/v1/cache/';
/** Longer than the pool idle time of Nx's HTTP client (90 s), so that Nx never reuses a connection the relay has just closed. */
const KEEP_ALIVE_MS = 600_000;
/** The two bytes every gzip stream starts with (an Nx entry is a gzipped tar). */
const GZIP_MAGIC = [0x1f, 0x8b];

/**
 * A local stand-in for a remote cache server that Nx cannot fail on. Nx 23.3
 * stops a run (exit 1, tasks skipped) when its self-hosted cache is down or
 * refuses the token; pointed at this relay instead, it only ever sees the
 * protocol's quiet answers. Each GET and PUT goes on to the real server with
 * the real token; a success passes through unchanged (200 entry, 404, 200
 * stored, 409 exists, 403 read-only), and any failure of the server (down,
 * hanging, reset, 5xx, 401, 403 on a read, a malformed or short answer)
 * becomes a miss: GET 404, PUT 403. The first failure is logged once, naming
 * the server and why; close() sums up the rest.
 *
 * Uploads stream through. A downloaded entry streams into a file in a spool
 * folder and reaches Nx only once whole (Nx fails a run on a body cut short,
 * so a server dying mid-download must become a 404, which needs the whole
 * entry before the first byte goes out); memory stays flat either way.
 */
export async function startCacheRelay(options: CacheRelayOptions): Promise<CacheRelay> {
  const { upstream, token, log, retryAfterMs = 10_000, spoolDir = tmpdir() } = options;
  const timeouts = { ...DEFAULT_UPSTREAM_TIMEOUTS, ...options.timeouts };
  try {
    cacheEntryUrl(upstream, '0');
  } catch (error) {
    throw new ElasticityError(`${JSON.stringify(upstream)} is not an http(s) URL`, { field: 'upstream', cause: error });
  }
  const relayToken = randomBytes(32).toString('hex');
  const spool = await mkdtemp(join(spoolDir, 'elasticity-cache-relay-'));
  const failed = { reads: 0, writes: 0 };
  let warned = false;
  let quietUntil = 0;
  let serial = 0;

  const fail = (kind: 'reads' | 'writes', reason: string | undefined, costly = false) => {
    failed[kind] += 1;
    if (costly) quietUntil = Date.now() + retryAfterMs;
    if (!warned && reason !== undefined) {
      warned = true;
      log(`remote cache ${upstream} ${reason}: continuing with the local cache only`);
    }
  };
  const resting = () => Date.now() < quietUntil;

  async function relayRead(hash: string, res: ServerResponse, gone: AbortSignal): Promise<void> {
    if (resting()) return fail('reads', undefined), answer(res, 404, 'not found');
    const reply = await sendUpstream(cacheEntryUrl(upstream, hash), { method: 'GET', token, timeouts, signal: gone });
    if (gone.aborted) return reply.ok ? reply.end() : undefined;
    if (!reply.ok) return fail('reads', reply.reason, reply.costly), answer(res, 404, 'not found');
    const problem = readStatusProblem(reply.status);
    if (problem !== undefined || reply.status === 404) {
      reply.end();
      if (problem !== undefined) fail('reads', problem);
      return answer(res, 404, 'not found');
    }
    const file = join(spool, `${hash}-${++serial}`);
    try {
      const size = await spoolEntry(reply.response, file, gone).catch((error: NodeJS.ErrnoException) => {
        if (gone.aborted) return undefined;
        const cut = reply.cutReason();
        throw new Error(cut !== undefined ? `unresponsive (${cut})` : `cut an entry short (${error.code ?? error.message})`);
      });
      reply.end();
      if (size === undefined) return;
      const wrong = await malformedEntry(file, size, reply.response.headers['content-length']);
      if (wrong !== undefined) return fail('reads', `gave a malformed answer (${wrong})`), answer(res, 404, 'not found');
      res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': size });
      await pipeline(createReadStream(file), res).catch(() => {}); // Nx went away mid-download: nothing to tell
    } catch (error) {
      fail('reads', (error as Error).message, (error as Error).message.startsWith('unresponsive'));
      answer(res, 404, 'not found');
    } finally {
      reply.end();
      await rm(file, { force: true });
    }
  }

  async function relayWrite(hash: string, req: IncomingMessage, res: ServerResponse, gone: AbortSignal): Promise<void> {
    if (resting()) {
      fail('writes', undefined);
      return answer(res, 403, 'not stored', req);
    }
    const reply = await sendUpstream(cacheEntryUrl(upstream, hash), {
      method: 'PUT', token, timeouts, signal: gone, body: req, contentLength: req.headers['content-length'],
    });
    if (reply.ok) reply.end(); // an upload's answer is its status
    if (gone.aborted) return;
    if (!reply.ok) {
      fail('writes', reply.reason, reply.costly);
      return answer(res, 403, 'not stored', req);
    }
    const problem = writeStatusProblem(reply.status);
    if (problem !== undefined) {
      fail('writes', problem);
      return answer(res, 403, 'not stored', req);
    }
    return answer(res, reply.status, reply.status === 200 ? 'stored' : reply.status === 409 ? 'already stored' : 'not stored', req);
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const abandon = new AbortController();
    res.on('close', () => {
      if (!res.writableFinished) abandon.abort();
    });
    const path = (req.url ?? '').split('?')[0];
    if (!path.startsWith(PREFIX)) return answer(res, 404, 'not found', req);
    if (req.method !== 'GET' && req.method !== 'PUT') {
      res.setHeader('allow', 'GET, PUT');
      return answer(res, 405, 'only GET and PUT', req);
    }
    if (accessOf(req.headers.authorization, { write: relayToken }) === undefined) {
      res.setHeader('www-authenticate', 'Bearer');
      return answer(res, 401, 'missing or invalid relay token (NX_SELF_HOSTED_REMOTE_CACHE_ACCESS_TOKEN)', req);
    }
    const hash = path.slice(PREFIX.length);
    if (!isNxHash(hash)) return answer(res, 400, 'not an Nx task hash (1 to 20 decimal digits)', req);
    if (req.method === 'GET') return relayRead(hash, res, abandon.signal);
    return relayWrite(hash, req, res, abandon.signal);
  }

  const server = createServer({ requestTimeout: 0, keepAliveTimeout: KEEP_ALIVE_MS }, (req, res) => {
    handle(req, res).catch((error: Error) => {
      // Not expected; still a miss for Nx rather than a failed run.
      fail(req.method === 'PUT' ? 'writes' : 'reads', `not relayed (${error.message})`);
      if (!res.headersSent) answer(res, req.method === 'PUT' ? 403 : 404, 'not relayed', req);
      else res.destroy();
    });
  });
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
  } catch (error) {
    await rm(spool, { recursive: true, force: true });
    throw error;
  }
  const address = server.address();
  const url = `http://127.0.0.1:${typeof address === 'object' && address !== null ? address.port : 0}`;

  return {
    url,
    token: relayToken,
    failures: () => ({ ...failed }),
    close: async () => {
      // Nx has exited by now; a connection it left open (even one Node does
      // not count as idle) must not hold the run's end.
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
      await rm(spool, { recursive: true, force: true });
      const counts = [count(failed.reads, 'read'), count(failed.writes, 'write')].filter((part) => part !== '');
      if (counts.length > 0) log(`remote cache ${upstream}: ${counts.join(' and ')} failed; the run used local work`);
    },
  };
}

/** Streams a response body into `file`; resolves to its size, or undefined when abandoned. */
async function spoolEntry(body: IncomingMessage, file: string, gone: AbortSignal): Promise<number | undefined> {
  let size = 0;
  body.on('data', (chunk: Buffer) => void (size += chunk.length));
  await pipeline(body, createWriteStream(file, { flags: 'wx' }), { signal: gone });
  return gone.aborted ? undefined : size;
}

/** Why a downloaded entry cannot be an Nx entry (length other than announced, empty, not gzip), or undefined. */
async function malformedEntry(file: string, size: number, announced: string | undefined): Promise<string | undefined> {
  if (announced !== undefined && Number(announced) !== size) return `${size} bytes where ${announced} were announced`;
  if (size < GZIP_MAGIC.length) return `an entry of ${size} bytes`;
  const handle = await open(file);
  try {
    const head = Buffer.alloc(GZIP_MAGIC.length);
    await handle.read(head, 0, head.length, 0);
    return GZIP_MAGIC.every((byte, i) => head[i] === byte) ? undefined : 'an entry that is not gzip data';
  } finally {
    await handle.close();
  }
}

/**
 * A text/plain answer. With `req`, a request body not yet read is drained
 * first, so that Nx has finished sending and reads the answer cleanly.
 */
function answer(res: ServerResponse, status: number, text: string, req?: IncomingMessage): void {
  const send = () => {
    if (res.headersSent || res.destroyed) return;
    res.writeHead(status, { 'content-type': 'text/plain', 'content-length': Buffer.byteLength(text) });
    res.end(text);
  };
  if (req === undefined || req.complete || req.destroyed) return send();
  req.unpipe();
  req.once('end', send);
  req.once('close', send);
  req.resume();
}

function count(n: number, noun: string): string {
  return n === 0 ? '' : `${n} ${noun}${n === 1 ? '' : 's'}`;
}
