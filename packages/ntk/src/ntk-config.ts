import { ElasticityError } from '@elasticity/core';

/** The pipeline's `ntk` section. */
export interface NtkConfig {
  /** The empirical NTK <grad f(x_i), grad f(x_j)> at the model's weights (the only kind implemented). */
  kind: 'empirical';
  /** At the trained weights (default) or the initial ones. */
  from: 'trained' | 'init';
}

const KEYS = ['kind', 'from'];

/** Applies defaults to the `ntk` section and validates every key. */
export function parseNtkConfig(section: unknown, file: string): NtkConfig {
  const s = section === undefined ? {} : section;
  if (typeof s !== 'object' || s === null || Array.isArray(s)) throw new ElasticityError('must be an object', { file, field: 'ntk' });
  const o = s as Record<string, unknown>;
  for (const key of Object.keys(o)) {
    if (!KEYS.includes(key)) throw new ElasticityError(`unknown key (allowed: ${KEYS.join(', ')})`, { file, field: `ntk.${key}` });
  }
  if (o.kind !== undefined && o.kind !== 'empirical') {
    throw new ElasticityError(`must be "empirical" (the only kind implemented), got ${JSON.stringify(o.kind)}`, { file, field: 'ntk.kind' });
  }
  if (o.from !== undefined && o.from !== 'trained' && o.from !== 'init') {
    throw new ElasticityError(`must be one of "trained", "init", got ${JSON.stringify(o.from)}`, { file, field: 'ntk.from' });
  }
  return { kind: 'empirical', from: (o.from ?? 'trained') as NtkConfig['from'] };
}
