import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';

/**
 * What a cache server answers to one read, from the client's side. Nx 23.3
 * stops a run (exit 1, tasks skipped) when its self-hosted cache is
 * unreachable or refuses the token, instead of computing locally; a caller
 * can probe first and run without the remote cache, saying why once.
 */
export type CacheServerProbe = { ok: true } | { ok: false; reason: string };

/** A hash no task has (Nx hashes are xxh3-64 digests): 404 from a healthy server. */
const PROBE_HASH = '0';

/** One GET on a fresh connection (no pooled socket that the server may have closed). */
export function probeCacheServer(url: string, token: string | undefined, timeoutMs = 3000): Promise<CacheServerProbe> {
  return new Promise((resolve) => {
    let target: URL;
    try {
      target = new URL(`${url.replace(/\/+$/, '')}/v1/cache/${PROBE_HASH}`);
    } catch {
      resolve({ ok: false, reason: `cache server address ${JSON.stringify(url)} is not a URL` });
      return;
    }
    const request = (target.protocol === 'https:' ? httpsRequest : httpRequest)(target, {
      agent: false,
      headers: token === undefined ? {} : { authorization: `Bearer ${token}` },
      timeout: timeoutMs,
    });
    request.on('timeout', () => request.destroy(Object.assign(new Error('timeout'), { code: `no answer within ${timeoutMs} ms` })));
    request.on('error', (error: NodeJS.ErrnoException) => resolve({ ok: false, reason: `cache server ${url} unreachable (${error.code ?? error.message})` }));
    request.on('response', (response) => {
      response.resume();
      const status = response.statusCode ?? 0;
      if (status === 404 || status === 200) resolve({ ok: true });
      else if (status === 401 || status === 403) resolve({ ok: false, reason: `cache server ${url} refused the token (${status})` });
      else resolve({ ok: false, reason: `cache server ${url} answered ${status} to a read` });
    });
    request.end();
  });
}
