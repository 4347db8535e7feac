import { request as httpRequest } from 'node:http';
import type { IncomingMessage, OutgoingHttpHeaders } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { Readable } from 'node:stream';

/** How long a cache server may take, as a client sees it. */
export interface UpstreamTimeouts {
  /** From the request to an open connection (DNS and TCP). */
  connectMs: number;
  /** Silence on an open connection, in either direction (waiting for the answer or for more of its body). */
  idleMs: number;
}

export const DEFAULT_UPSTREAM_TIMEOUTS: UpstreamTimeouts = { connectMs: 3000, idleMs: 30_000 };

/**
 * A cache server's answer (status and a body still to read), or why there
 * is none, as a phrase that follows the server's address: "unreachable
 * (ECONNREFUSED)", "unresponsive (no answer within 30000 ms)", "dropped the
 * connection (ECONNRESET)", "gave a malformed answer (HPE_INVALID_CONSTANT)".
 * `costly`: the server is down or hanging, so trying again at once would
 * only cost the caller another timeout or refusal.
 */
export type UpstreamAnswer =
  | {
      ok: true;
      status: number;
      response: IncomingMessage;
      /** Why the body stopped early, when a timeout cut it (the body stream's own error says less). */
      cutReason(): string | undefined;
      /**
       * Done with the answer. A body read to its end is left to close as the
       * server closes it (the request asked for Connection: close), so the
       * server finishes its response before the socket goes; an entry's body
       * still unread is cut at once, a short answer's read.
       */
      end(): void;
    }
  | { ok: false; reason: string; costly: boolean };

/** The URL of one entry (GET/PUT /v1/cache/HASH) under a server's base URL; throws for anything but http(s). */
export function cacheEntryUrl(server: string, hash: string): URL {
  const url = new URL(`${server.replace(/\/+$/, '')}/v1/cache/${hash}`);
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new TypeError(`${url.protocol} is not http: or https:`);
  return url;
}

/**
 * One request to a cache server on a fresh connection (no pooled socket the
 * server may have closed), with both timeouts bounded. A PUT streams `body`
 * as it arrives (Content-Length passed on when given). Never rejects: every
 * failure before the answer is an `{ ok: false }` with its reason. `signal`
 * abandons the request (the caller's own client went away).
 */
export function sendUpstream(
  url: URL,
  options: { method: 'GET' | 'PUT'; token?: string; body?: Readable; contentLength?: string; timeouts?: UpstreamTimeouts; signal?: AbortSignal },
): Promise<UpstreamAnswer> {
  const { method, token, body, contentLength, timeouts = DEFAULT_UPSTREAM_TIMEOUTS, signal } = options;
  const headers: OutgoingHttpHeaders = {};
  if (token !== undefined) headers.authorization = `Bearer ${token}`;
  if (method === 'GET') headers.accept = 'application/octet-stream';
  else {
    headers['content-type'] = 'application/octet-stream';
    if (contentLength !== undefined) headers['content-length'] = contentLength;
  }
  return new Promise((resolve) => {
    let connected = false;
    let timedOut: string | undefined;
    let answered = false;
    const request = (url.protocol === 'https:' ? httpsRequest : httpRequest)(url, { method, headers, agent: false, signal });
    const cut = (why: string) => {
      timedOut ??= why;
      request.destroy(Object.assign(new Error(why), { code: 'ETIMEDOUT' }));
    };
    const connectTimer = setTimeout(() => cut(`no connection within ${timeouts.connectMs} ms`), timeouts.connectMs);
    request.on('socket', (socket) => {
      const open = () => {
        connected = true;
        clearTimeout(connectTimer);
      };
      if (socket.connecting) socket.once('connect', open);
      else open();
    });
    request.on('close', () => clearTimeout(connectTimer));
    request.setTimeout(timeouts.idleMs, () => cut(`no answer within ${timeouts.idleMs} ms`));
    request.on('error', (error: NodeJS.ErrnoException) => {
      if (answered) return; // the body's reader sees it (and cutReason says why)
      answered = true;
      resolve({ ok: false, ...failureOf(error, connected, timedOut) });
    });
    request.on('response', (response) => {
      answered = true;
      response.on('error', () => {}); // reported to whoever reads the body; never an uncaught error here
      const end = () => {
        if (response.complete) return;
        // An entry nobody wants any more is cut; the few bytes of any other answer are read, so the server's response completes.
        if (method === 'GET' && response.statusCode === 200) request.destroy();
        else response.resume();
      };
      resolve({ ok: true, status: response.statusCode ?? 0, response, cutReason: () => timedOut, end });
    });
    if (body) body.pipe(request);
    else request.end();
  });
}

function failureOf(error: NodeJS.ErrnoException, connected: boolean, timedOut: string | undefined): { reason: string; costly: boolean } {
  if (timedOut !== undefined) return { reason: `${connected ? 'unresponsive' : 'unreachable'} (${timedOut})`, costly: true };
  const code = error.code ?? error.message;
  if (code.startsWith('HPE_')) return { reason: `gave a malformed answer (${code})`, costly: false };
  if (!connected) return { reason: `unreachable (${code})`, costly: true };
  return { reason: `dropped the connection (${code})`, costly: false };
}

/** Why a read's status is not an answer (200 entry, 404 miss), or undefined when it is. */
export function readStatusProblem(status: number): string | undefined {
  if (status === 200 || status === 404) return undefined;
  if (status === 401 || status === 403) return `refused the token (${status})`;
  return `answered ${status} to a read`;
}

/** Why an upload's status is not one of Nx's outcomes (200 stored, 409 exists, 403 not allowed), or undefined when it is. */
export function writeStatusProblem(status: number): string | undefined {
  if (status === 200 || status === 409 || status === 403) return undefined;
  if (status === 401) return `refused the token (${status})`;
  return `answered ${status} to an upload`;
}
