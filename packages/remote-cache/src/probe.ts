import { cacheEntryUrl, readStatusProblem, sendUpstream } from './upstream-request.ts';

/**
 * What a cache server answers to one read, from the client's side: whether
 * a run could use it now. (A run need not probe first: withRemoteCache's
 * relay turns any failure of the server into misses.)
 */
export type CacheServerProbe = { ok: true } | { ok: false; reason: string };

/** A hash no task has (Nx hashes are xxh3-64 digests): 404 from a healthy server. */
const PROBE_HASH = '0';

/** One GET on a fresh connection, `timeoutMs` to connect and again to answer. */
export async function probeCacheServer(url: string, token: string | undefined, timeoutMs = 3000): Promise<CacheServerProbe> {
  let target: URL;
  try {
    target = cacheEntryUrl(url, PROBE_HASH);
  } catch {
    return { ok: false, reason: `cache server address ${JSON.stringify(url)} is not an http(s) URL` };
  }
  const answer = await sendUpstream(target, { method: 'GET', token, timeouts: { connectMs: timeoutMs, idleMs: timeoutMs } });
  if (!answer.ok) return { ok: false, reason: `cache server ${url} ${answer.reason}` };
  answer.end();
  const problem = readStatusProblem(answer.status);
  return problem === undefined ? { ok: true } : { ok: false, reason: `cache server ${url} ${problem}` };
}
