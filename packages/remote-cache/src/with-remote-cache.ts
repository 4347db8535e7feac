import { startCacheRelay } from './cache-relay.ts';

export interface RemoteCacheEnv {
  /** The environment for Nx: pointed at a relay when a remote cache is configured, otherwise the one given. */
  env: NodeJS.ProcessEnv;
  /** Stops the relay and logs its summary line when any remote read or write failed (a no-op without a remote cache). */
  close(): Promise<void>;
}

const SERVER = 'NX_SELF_HOSTED_REMOTE_CACHE_SERVER';
const TOKEN = 'NX_SELF_HOSTED_REMOTE_CACHE_ACCESS_TOKEN';

/**
 * Makes a remote cache safe for one Nx run: when `env` names a self-hosted
 * cache server (NX_SELF_HOSTED_REMOTE_CACHE_SERVER, with its
 * NX_SELF_HOSTED_REMOTE_CACHE_ACCESS_TOKEN), starts a relay on 127.0.0.1
 * (cache-relay.ts) and returns `env` with both variables pointing Nx at the
 * relay and a random per-run token, so that a server that is down, dies
 * mid-run or refuses the token costs remote hits, never the run. An address
 * that is not an http(s) URL (or a relay that cannot start) is one warning
 * and a run with the local cache only. Close after Nx has exited.
 */
export async function withRemoteCache(env: NodeJS.ProcessEnv, log: (line: string) => void): Promise<RemoteCacheEnv> {
  const upstream = env[SERVER];
  if (!upstream) return { env, close: async () => {} };
  try {
    const relay = await startCacheRelay({ upstream, token: env[TOKEN] || undefined, log });
    return { env: { ...env, [SERVER]: relay.url, [TOKEN]: relay.token }, close: () => relay.close() };
  } catch (error) {
    log(`remote cache ${upstream} not used (${(error as Error).message}): continuing with the local cache only`);
    const { [SERVER]: _server, [TOKEN]: _token, ...local } = env;
    return { env: local, close: async () => {} };
  }
}
