/**
 * The part of core that loads in milliseconds: errors, hashing, JSON files,
 * name suggestions, logging, the backend names and whether a process is alive, without TensorFlow.js,
 * Arrow or zod. The pipeline model's light entry, the Nx plugin (which runs
 * on every `nx` command) and the CLI's command table import this instead of
 * the whole of @elasticity/core.
 */
export { ElasticityError, check } from './errors.ts';
export { suggestName, unknownKeyError } from './config/config-keys.ts';
export { sha256, stableStringify, hashJson } from './hash.ts';
export { readJsonFileSync } from './fs/read.ts';
export { processAlive } from './fs/process-alive.ts';
export { createLogger } from './log.ts';
export type { Logger, LogLevel } from './log.ts';
export { BACKEND_CHOICES } from './backend.ts';
export type { BackendChoice } from './backend.ts';
