/**
 * What a cache server answers to one read, from the client's side. Nx 23.3
 * stops a run (exit 1, tasks skipped) when its self-hosted cache is
 * unreachable or refuses the token, instead of computing locally; a caller
 * can probe first and run without the remote cache, saying why once.
 */
export type CacheServerProbe = { ok: true } | { ok: false; reason: string };

/** A hash no task has (Nx hashes are xxh3-64 digests): 404 from a healthy server. */
const PROBE_HASH = '0';

export async function probeCacheServer(url: string, token: string | undefined, timeoutMs = 3000): Promise<CacheServerProbe> {
  let response: Response;
  try {
    response = await fetch(`${url.replace(/\/+$/, '')}/v1/cache/${PROBE_HASH}`, {
      headers: token === undefined ? {} : { authorization: `Bearer ${token}` },
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (error) {
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    const why = (error as Error).name === 'TimeoutError' ? `no answer within ${timeoutMs} ms` : cause?.code ?? cause?.message ?? (error as Error).message;
    return { ok: false, reason: `cache server ${url} unreachable (${why})` };
  }
  await response.body?.cancel();
  if (response.status === 404 || response.status === 200) return { ok: true };
  if (response.status === 401 || response.status === 403) return { ok: false, reason: `cache server ${url} refused the token (${response.status})` };
  return { ok: false, reason: `cache server ${url} answered ${response.status} to a read` };
}
