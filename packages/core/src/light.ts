/**
 * The part of core that loads in milliseconds: errors, hashing, JSON files
 * and name suggestions, without TensorFlow.js, Arrow or zod. The pipeline
 * model's light entry and the Nx plugin (which runs on every `nx` command)
 * import this instead of the whole of @elasticity/core.
 */
export { ElasticityError, check } from './errors.ts';
export { suggestName, unknownKeyError } from './config/config-keys.ts';
export { sha256, stableStringify, hashJson } from './hash.ts';
export { readJsonFileSync } from './fs/read.ts';
