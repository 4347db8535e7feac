import Fastify from 'fastify';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Socket } from 'node:net';
import { isNxHash } from './nx-hash.ts';
import { accessOf } from './tokens.ts';
import type { CacheTokens } from './tokens.ts';
import { BodyLengthError, BodyTooLargeError } from './cache-store.ts';
import type { CacheStore } from './cache-store.ts';

export interface CacheAppOptions {
  store: CacheStore;
  tokens: CacheTokens;
  /** Larger uploads get 413, before a byte of the body is read when Content-Length says so. */
  maxBodyBytes: number;
  /** Receives one line per request (method, path, status, bytes, ms) and one per problem. */
  log: (line: string) => void;
}

const ROUTE = '/v1/cache/:hash';
/** Long enough that an overlong hash gets a 400 from the hash check rather than the router's 404. */
const MAX_PARAM_LENGTH = 1024;
/** An upload (or download) whose socket stays silent this long is cut. */
const IDLE_SOCKET_MS = 120_000;

type HashRequest = FastifyRequest<{ Params: { hash: string } }>;

/**
 * The Nx self-hosted remote cache protocol (Nx 20.8+, OpenAPI "Nx custom
 * remote cache specification" 1.0.0) on fastify:
 *
 * - GET /v1/cache/{hash}: 200 with the entry (application/octet-stream), 404
 *   when absent or when its bytes no longer match their SHA-256 (logged, and
 *   the entry is moved aside so that the next PUT can store good bytes);
 * - PUT /v1/cache/{hash} (Content-Length required, application/octet-stream):
 *   200 stored, 409 already stored (entries are never replaced), 403 for the
 *   read-only token, 413 over the size cap, 411 without a length;
 * - 401 (text/plain, as Nx requires) without a valid bearer token, 400 for
 *   anything that is not an Nx hash, 405 for other methods.
 *
 * Checks run in the onRequest hook, so a refused upload's body is never read;
 * an accepted one streams to disk (memory stays flat whatever the size).
 */
export function buildCacheApp(options: CacheAppOptions): FastifyInstance {
  const { store, tokens, maxBodyBytes, log } = options;
  const app = Fastify({
    logger: false,
    exposeHeadRoutes: false,
    routerOptions: { maxParamLength: MAX_PARAM_LENGTH },
    bodyLimit: maxBodyBytes,
    connectionTimeout: IDLE_SOCKET_MS,
    clientErrorHandler: (error: Error & { code?: string }, socket: Socket) => {
      log(`malformed request refused: ${error.code ?? error.message}`);
      if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      socket.destroy();
    },
  });
  const startOf = new WeakMap<FastifyRequest, number>();
  const bytesOf = new WeakMap<FastifyRequest, number>();
  const logged = new WeakSet<FastifyRequest>();
  const logLine = (request: FastifyRequest, status: number | string, ms: number) => {
    if (logged.has(request)) return;
    logged.add(request);
    log(`${request.method} ${printable(request.url)} ${status} ${bytesOf.get(request) ?? 0} B ${ms.toFixed(0)} ms`);
  };
  const replyOf = new WeakMap<FastifyRequest, FastifyReply>();
  app.addHook('onResponse', async (request, reply) => logLine(request, reply.statusCode, reply.elapsedTime));
  app.addHook('onRequest', async (request, reply) => {
    startOf.set(request, performance.now());
    replyOf.set(request, reply);
  });
  // A client that has read the whole answer may close its socket before the
  // server's own "finish" event: an answer already written to its end is
  // logged with its status, only one cut short as aborted.
  app.addHook('onRequestAbort', async (request) => {
    const reply = replyOf.get(request);
    const ms = performance.now() - (startOf.get(request) ?? performance.now());
    logLine(request, reply?.raw.writableEnded === true ? reply.statusCode : 'aborted', ms);
  });

  // Only Nx's body type is accepted (anything else: 415), and it is not
  // buffered: the handler streams it into the store.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('application/octet-stream', (_request, payload, done) => done(null, payload));

  app.setErrorHandler((error: Error & { statusCode?: number }, request, reply) => {
    const status = error.statusCode !== undefined && error.statusCode >= 400 ? error.statusCode : 500;
    if (status >= 500) log(`error in ${request.method} ${printable(request.url)}: ${error.stack ?? error.message}`);
    return refuse(reply, status, status >= 500 ? 'internal error' : error.message);
  });
  app.setNotFoundHandler((_request, reply) => refuse(reply, 404, 'not found'));

  const authorize = (write: boolean) => async (request: HashRequest, reply: FastifyReply) => {
    const access = accessOf(request.headers.authorization, tokens);
    if (access === undefined) {
      reply.header('www-authenticate', 'Bearer');
      return refuse(reply, 401, 'missing or invalid cache token (NX_SELF_HOSTED_REMOTE_CACHE_ACCESS_TOKEN)', { close: write });
    }
    if (!isNxHash(request.params.hash)) return refuse(reply, 400, 'not an Nx task hash (1 to 20 decimal digits)', { close: write });
    if (!write) return;
    const length = request.headers['content-length'];
    if (length === undefined) return refuse(reply, 411, 'Content-Length required', { close: true });
    const declared = Number(length);
    if (declared === 0) return refuse(reply, 400, 'empty body', { close: true });
    if (declared > maxBodyBytes) return refuse(reply, 413, `body over the ${maxBodyBytes}-byte limit`, { close: true });
    // The protocol's ordinary refusals: the body is drained, so the client reads the answer.
    if (access !== 'write') return refuse(reply, 403, 'this token may only read');
    if (await store.has(request.params.hash)) return refuse(reply, 409, 'already stored');
  };

  app.get(ROUTE, { onRequest: authorize(false) }, async (request: HashRequest, reply) => {
    const { hash } = request.params;
    const entry = await store.get(hash);
    if (entry.status === 'corrupt') {
      log(`corrupt entry ${hash} not served (moved aside to ${hash}.corrupt): ${entry.reason}`);
      return refuse(reply, 404, 'not found');
    }
    if (entry.status === 'missing') return refuse(reply, 404, 'not found');
    bytesOf.set(request, entry.size);
    return reply.type('application/octet-stream').header('content-length', entry.size).send(entry.body);
  });

  app.put(ROUTE, { onRequest: authorize(true) }, async (request: HashRequest, reply) => {
    const { hash } = request.params;
    try {
      const result = await store.put(hash, request.body as AsyncIterable<Uint8Array>, {
        maxBytes: maxBodyBytes,
        expectedBytes: Number(request.headers['content-length']),
      });
      if (result.status === 'exists') return refuse(reply, 409, 'already stored');
      bytesOf.set(request, result.size);
      return reply.code(200).type('text/plain').send('stored');
    } catch (error) {
      if (error instanceof BodyTooLargeError) return refuse(reply, 413, error.message, { close: true });
      if (error instanceof BodyLengthError || request.raw.aborted || request.raw.destroyed) {
        return refuse(reply, 400, 'incomplete body', { close: true });
      }
      throw error;
    }
  });

  app.route({
    method: ['DELETE', 'PATCH', 'POST', 'HEAD', 'OPTIONS'],
    url: ROUTE,
    handler: async (_request, reply) => {
      reply.header('allow', 'GET, PUT');
      return refuse(reply, 405, 'only GET and PUT');
    },
  });
  return app;
}

/** A text/plain refusal (Nx shows the text of a 401 or 403 to its user). `close` ends the connection instead of reading an unwanted body. */
function refuse(reply: FastifyReply, status: number, message: string, options: { close?: boolean } = {}): FastifyReply {
  if (options.close) reply.header('connection', 'close');
  return reply.code(status).type('text/plain').send(message);
}

/** The request path for a log line: printable ASCII, at most 120 characters. */
function printable(url: string): string {
  const clean = url.replace(/[^\x20-\x7e]/g, '?');
  return clean.length > 120 ? `${clean.slice(0, 117)}...` : clean;
}
