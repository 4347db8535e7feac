import { ElasticityError } from '@elasticity/core/light';
import { DiskStore } from './disk-store.ts';
import { buildCacheApp } from './cache-app.ts';
import { tokenProblem } from './tokens.ts';

export interface CacheServerOptions {
  /** 0: a free port chosen by the system (see the returned url). */
  port: number;
  /** Only loopback unless told otherwise. */
  host?: string;
  /** The folder of entries (created if missing). */
  dir: string;
  /** Reads and writes. */
  token: string;
  /** Only reads. */
  readToken?: string;
  /** Upload size cap (default 2 GiB). */
  maxBodyBytes?: number;
  /** One line per request and per problem (default: stderr, prefixed `[cache]`). */
  log?: (line: string) => void;
}

export interface CacheServer {
  /** The base URL for NX_SELF_HOSTED_REMOTE_CACHE_SERVER, e.g. http://127.0.0.1:4455 */
  url: string;
  /** Stops accepting connections and resolves once the requests in flight have ended. */
  close(): Promise<void>;
}

export const DEFAULT_MAX_BODY_BYTES = 2 * 1024 ** 3;

/** A start-up problem tied to one option (`field`; the CLI names its flag instead). */
export class CacheServerOptionError extends ElasticityError {
  constructor(readonly option: keyof CacheServerOptions, readonly reason: string, cause?: unknown) {
    super(reason, { field: option, cause });
    this.name = 'CacheServerOptionError';
  }
}

const stderrLog = (line: string) => void process.stderr.write(`[cache] ${line}\n`);

/** Starts an Nx remote cache server over a DiskStore in `dir`. */
export async function startCacheServer(options: CacheServerOptions): Promise<CacheServer> {
  const { port, host = '127.0.0.1', dir, token, readToken, maxBodyBytes = DEFAULT_MAX_BODY_BYTES, log = stderrLog } = options;
  checkOptions({ port, dir, token, readToken, maxBodyBytes });
  let store: DiskStore;
  try {
    store = await DiskStore.open(dir, log);
  } catch (error) {
    throw new CacheServerOptionError('dir', `cannot use ${dir} as the cache folder (${(error as Error).message})`, error);
  }
  const app = buildCacheApp({ store, tokens: { write: token, read: readToken }, maxBodyBytes, log });
  try {
    await app.listen({ port, host });
  } catch (error) {
    await app.close();
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE') throw new CacheServerOptionError('port', `${host}:${port} is already in use`, error);
    if (code === 'EACCES') throw new CacheServerOptionError('port', `no permission to listen on ${host}:${port}`, error);
    throw new CacheServerOptionError('host', `cannot listen on ${host}:${port} (${(error as Error).message})`, error);
  }
  const address = app.server.address();
  const actualPort = typeof address === 'object' && address !== null ? address.port : port;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${actualPort}`;
  log(`serving the Nx remote cache at ${url} from ${store.dir} (uploads up to ${formatBytes(maxBodyBytes)}${readToken ? ', read-only token accepted' : ''})`);
  return {
    url,
    close: async () => {
      await app.close();
      log(`stopped serving ${url}`);
    },
  };
}

function checkOptions(o: { port: number; dir: string; token: string; readToken?: string; maxBodyBytes: number }): void {
  if (!Number.isInteger(o.port) || o.port < 0 || o.port > 65535) throw new CacheServerOptionError('port', `must be an integer from 0 to 65535, got ${o.port}`);
  if (!o.dir) throw new CacheServerOptionError('dir', 'a folder is required');
  const tokenIssue = tokenProblem(o.token ?? '');
  if (tokenIssue) throw new CacheServerOptionError('token', tokenIssue);
  if (o.readToken !== undefined) {
    const readIssue = tokenProblem(o.readToken);
    if (readIssue) throw new CacheServerOptionError('readToken', readIssue);
    if (o.readToken === o.token) throw new CacheServerOptionError('readToken', 'must differ from the read-write token');
  }
  if (!Number.isSafeInteger(o.maxBodyBytes) || o.maxBodyBytes < 1) throw new CacheServerOptionError('maxBodyBytes', `must be a positive whole number of bytes, got ${o.maxBodyBytes}`);
}

function formatBytes(bytes: number): string {
  return bytes >= 1024 ** 3 && bytes % 1024 ** 3 === 0 ? `${bytes / 1024 ** 3} GiB` : `${(bytes / 1024 ** 2).toFixed(bytes % 1024 ** 2 === 0 ? 0 : 2)} MiB`;
}
