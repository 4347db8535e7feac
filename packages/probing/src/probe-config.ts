import { ElasticityError, PRODUCT_PRECISIONS } from '@elasticity/core';
import type { ProductPrecision } from '@elasticity/core';
import type { EtaSetting } from './eta.ts';
import type { ProbeMode } from './probe-result.ts';

export type ProbeKind = 'relative' | 'kernelized';
export type ProbeMethod = 'auto' | 'fast' | 'generic';
export type ProbeFrom = 'trained' | 'init';
/** Which examples of the data set: the primary ones, the auxiliary ones, or all (dataset order). */
export type ProbeSet = 'primary' | 'auxiliary' | 'all';

/** The pipeline's `probe` section. */
export interface ProbeConfig {
  /** Similarities to write (default both). */
  kinds: ProbeKind[];
  /** Fixed step size, or 'authors': 1e-6 times 3 until the float32 change is not 0 (default). */
  eta: EtaSetting;
  /** 'auto' = the exact fast path when the model is of the MLP family, else the generic tfjs path. */
  method: ProbeMethod;
  /**
   * 'reset' (default, the authors'): every probe starts from the same weights.
   * 'online': no reset; the steps run as one SGD epoch (batch 1) over the
   * probed examples in dataset order and each step's effect is recorded.
   */
  mode: ProbeMode;
  /** Probe the trained weights (default) or the initial ones. */
  from: ProbeFrom;
  /** Examples stepped at (rows; default primary). */
  probed: ProbeSet;
  /** Examples whose change is recorded (columns; default primary). */
  measured: ProbeSet;
  /** Products of the fast path: 'auto' = float64 for small, float32 K-blocks summed in float64 (~1e-7) for large. */
  precision: ProductPrecision;
  /** Number of row shards the pipeline splits the probe into (read by the pipeline runner; default 1). */
  shards: number;
}

const KINDS: ProbeKind[] = ['relative', 'kernelized'];
const METHODS: ProbeMethod[] = ['auto', 'fast', 'generic'];
const FROMS: ProbeFrom[] = ['trained', 'init'];
const MODES: ProbeMode[] = ['reset', 'online'];
const SETS: ProbeSet[] = ['primary', 'auxiliary', 'all'];
const KEYS = ['kinds', 'eta', 'method', 'mode', 'from', 'probed', 'measured', 'precision', 'shards'];

function oneOf<T extends string>(value: unknown, allowed: T[], file: string, field: string): T {
  if (typeof value !== 'string' || !allowed.includes(value as T)) {
    throw new ElasticityError(`must be one of ${allowed.map((a) => `"${a}"`).join(', ')}, got ${JSON.stringify(value)}`, { file, field });
  }
  return value as T;
}

/** Applies defaults to the `probe` section and validates every key. */
export function parseProbeConfig(section: unknown, file: string): ProbeConfig {
  const s = section === undefined ? {} : section;
  if (typeof s !== 'object' || s === null || Array.isArray(s)) throw new ElasticityError('must be an object', { file, field: 'probe' });
  const o = s as Record<string, unknown>;
  for (const key of Object.keys(o)) {
    if (!KEYS.includes(key)) throw new ElasticityError(`unknown key (allowed: ${KEYS.join(', ')})`, { file, field: `probe.${key}` });
  }
  let kinds: ProbeKind[] = [...KINDS];
  if (o.kinds !== undefined) {
    if (!Array.isArray(o.kinds) || o.kinds.length === 0) throw new ElasticityError(`must be a non-empty list of ${KINDS.join(', ')}`, { file, field: 'probe.kinds' });
    kinds = o.kinds.map((k, q) => oneOf(k, KINDS, file, `probe.kinds[${q}]`));
    if (new Set(kinds).size !== kinds.length) throw new ElasticityError('lists a kind twice', { file, field: 'probe.kinds' });
  }
  let eta: EtaSetting = 'authors';
  if (o.eta !== undefined) {
    if (o.eta === 'authors') eta = 'authors';
    else if (typeof o.eta === 'number' && Number.isFinite(o.eta) && o.eta > 0) eta = o.eta;
    else throw new ElasticityError(`must be "authors" or a positive number, got ${JSON.stringify(o.eta)}`, { file, field: 'probe.eta' });
  }
  const method = o.method === undefined ? 'auto' : oneOf(o.method, METHODS, file, 'probe.method');
  const mode = o.mode === undefined ? 'reset' : oneOf(o.mode, MODES, file, 'probe.mode');
  const from = o.from === undefined ? 'trained' : oneOf(o.from, FROMS, file, 'probe.from');
  const probed = o.probed === undefined ? 'primary' : oneOf(o.probed, SETS, file, 'probe.probed');
  const measured = o.measured === undefined ? 'primary' : oneOf(o.measured, SETS, file, 'probe.measured');
  const precision = o.precision === undefined ? 'auto' : oneOf(o.precision, PRODUCT_PRECISIONS, file, 'probe.precision');
  const shards = o.shards === undefined ? 1 : o.shards;
  if (typeof shards !== 'number' || !Number.isInteger(shards) || shards < 1) {
    throw new ElasticityError(`must be a positive integer, got ${JSON.stringify(o.shards)}`, { file, field: 'probe.shards' });
  }
  return { kinds, eta, method, mode, from, probed, measured, precision, shards };
}
