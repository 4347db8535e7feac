/**
 * The cache relay without fastify or the disk store (node:http only), for
 * the CLI's run command: `withRemoteCache(env, log)` before spawning Nx.
 */
export { withRemoteCache } from './with-remote-cache.ts';
export type { RemoteCacheEnv } from './with-remote-cache.ts';
export { startCacheRelay } from './cache-relay.ts';
export type { CacheRelay, CacheRelayOptions } from './cache-relay.ts';
