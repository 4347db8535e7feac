import { ElasticityError, PRODUCT_PRECISIONS } from '@elasticity/core';
import type { ProductPrecision } from '@elasticity/core';

export type NtkKind = 'empirical' | 'infinite';
export type NtkMethod = 'auto' | 'closed-form' | 'generic';

/** The pipeline's `ntk` section. */
export interface NtkConfig {
  /**
   * Kernels to write: 'empirical' = <grad f(x_i), grad f(x_j)> at the model's
   * weights (ntk.arrow); 'infinite' = the infinite-width NTK of a ReLU MLP
   * of the model's depth (ntk-infinite.arrow; data only). A string or a list.
   */
  kind: NtkKind[];
  /** At the trained weights (default) or the initial ones. */
  from: 'trained' | 'init';
  /** 'auto' = closed form for the MLP family, per-example gradients (generic) for any other model. */
  method: NtkMethod;
  /** Products of the closed form: 'auto' = float64 for small, float32 K-blocks summed in float64 (~1e-7) for large. */
  precision: ProductPrecision;
  /** Infinite NTK: weight and bias variance factors. */
  sigmaW2: number;
  sigmaB2: number;
  /** Infinite NTK: number of hidden ReLU layers, or 'model' (the model's hidden-layer count). */
  depth: number | 'model';
  /** Generic method: MB of per-example gradients held at once. */
  memoryMb: number;
  /** Number of row shards the pipeline splits the NTK into (read by the pipeline runner; default 1). */
  shards: number;
}

const KEYS = ['kind', 'from', 'method', 'precision', 'sigmaW2', 'sigmaB2', 'depth', 'memoryMb', 'shards'];
const KINDS: NtkKind[] = ['empirical', 'infinite'];
const METHODS: NtkMethod[] = ['auto', 'closed-form', 'generic'];

function oneOf<T extends string>(value: unknown, allowed: T[], file: string, field: string): T {
  if (typeof value !== 'string' || !allowed.includes(value as T)) {
    throw new ElasticityError(`must be one of ${allowed.map((a) => `"${a}"`).join(', ')}, got ${JSON.stringify(value)}`, { file, field });
  }
  return value as T;
}

function number(value: unknown, fallback: number, ok: (v: number) => boolean, rule: string, file: string, field: string): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || !ok(value)) throw new ElasticityError(`must be ${rule}, got ${JSON.stringify(value)}`, { file, field });
  return value;
}

/** Applies defaults to the `ntk` section and validates every key. */
export function parseNtkConfig(section: unknown, file: string): NtkConfig {
  const s = section === undefined ? {} : section;
  if (typeof s !== 'object' || s === null || Array.isArray(s)) throw new ElasticityError('must be an object', { file, field: 'ntk' });
  const o = s as Record<string, unknown>;
  for (const key of Object.keys(o)) {
    if (!KEYS.includes(key)) throw new ElasticityError(`unknown key (allowed: ${KEYS.join(', ')})`, { file, field: `ntk.${key}` });
  }
  let kind: NtkKind[] = ['empirical'];
  if (typeof o.kind === 'string') kind = [oneOf(o.kind, KINDS, file, 'ntk.kind')];
  else if (Array.isArray(o.kind)) {
    if (o.kind.length === 0) throw new ElasticityError(`must name at least one of ${KINDS.join(', ')}`, { file, field: 'ntk.kind' });
    kind = o.kind.map((k, q) => oneOf(k, KINDS, file, `ntk.kind[${q}]`));
    if (new Set(kind).size !== kind.length) throw new ElasticityError('lists a kind twice', { file, field: 'ntk.kind' });
  } else if (o.kind !== undefined) throw new ElasticityError(`must be "empirical", "infinite" or a list of them, got ${JSON.stringify(o.kind)}`, { file, field: 'ntk.kind' });
  const from = o.from === undefined ? 'trained' : oneOf(o.from, ['trained', 'init'], file, 'ntk.from');
  const method = o.method === undefined ? 'auto' : oneOf(o.method, METHODS, file, 'ntk.method');
  const precision = o.precision === undefined ? 'auto' : oneOf(o.precision, PRODUCT_PRECISIONS, file, 'ntk.precision');
  const sigmaW2 = number(o.sigmaW2, 2, (v) => v > 0, 'a positive number', file, 'ntk.sigmaW2');
  const sigmaB2 = number(o.sigmaB2, 0, (v) => v >= 0, 'a number >= 0', file, 'ntk.sigmaB2');
  const depth = o.depth === undefined || o.depth === 'model' ? 'model'
    : number(o.depth, 0, (v) => Number.isInteger(v) && v >= 0, '"model" or an integer >= 0', file, 'ntk.depth');
  const memoryMb = number(o.memoryMb, 1024, (v) => v >= 1, 'a number of MB >= 1', file, 'ntk.memoryMb');
  const shards = number(o.shards, 1, (v) => Number.isInteger(v) && v >= 1, 'a positive integer', file, 'ntk.shards');
  return { kind, from, method, precision, sigmaW2, sigmaB2, depth, memoryMb, shards };
}
