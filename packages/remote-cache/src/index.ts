/**
 * The cache server. The per-run relay between Nx and the server is the
 * entry `@elasticity/remote-cache/relay`, the health probe
 * `@elasticity/remote-cache/probe`: both load without the server's fastify.
 */
export { startCacheServer, CacheServerOptionError, DEFAULT_MAX_BODY_BYTES } from './start-server.ts';
export type { CacheServer, CacheServerOptions } from './start-server.ts';
