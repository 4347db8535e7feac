import { distinctItems, MODEL_FROM_SCHEMA, sectionParser, z } from '@elasticity/core';
import type { ModelFrom } from '@elasticity/core';
import { PRODUCT_PRECISIONS } from '@elasticity/mlp-engine';
import type { ProductPrecision } from '@elasticity/mlp-engine';
import type { EtaSetting } from './eta.ts';
import type { ProbeMode } from './probe-result.ts';

export type ProbeKind = 'relative' | 'kernelized';
export type ProbeMethod = 'auto' | 'fast' | 'generic';
/** The weights probed: 'trained', 'init' or 'epoch-K' (a checkpoint the train section saves). */
export type ProbeFrom = ModelFrom;
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
  /**
   * MB the stage may hold (default 4096): the fast reset probe runs the
   * probed rows in blocks that fit it, each block streamed to the files as
   * its own record batch (one batch when every row fits); the online probe
   * and the generic method hold every row.
   */
  memoryMb: number;
}

const KINDS: ProbeKind[] = ['relative', 'kernelized'];
const METHODS: ProbeMethod[] = ['auto', 'fast', 'generic'];
const MODES: ProbeMode[] = ['reset', 'online'];
const SETS: ProbeSet[] = ['primary', 'auxiliary', 'all'];

/** The `probe` section: every key optional, defaults applied. */
export const PROBE_SCHEMA = z.strictObject({
  kinds: z.array(z.enum(KINDS)).min(1).superRefine(distinctItems({ at: 'list', message: (k) => `lists the kind "${k}" twice` }))
    .default(() => [...KINDS]).describe('Similarities to write: relative and/or kernelized (default both).'),
  eta: z.union([z.literal('authors'), z.number().gt(0)]).default('authors')
    .describe('Probe step size: a positive number, or "authors" (1e-6 times 3 until the float32 change is not 0).'),
  method: z.enum(METHODS).default('auto').describe('"auto": the exact fast path for the MLP family, else the generic tfjs path.'),
  mode: z.enum(MODES).default('reset')
    .describe('"reset" (the authors\'): every probe starts from the same weights; "online": one SGD epoch (batch 1) over the probed examples, no reset.'),
  from: MODEL_FROM_SCHEMA.default('trained').describe('Probe the trained weights ("trained"), the initial ones ("init") or those after epoch K ("epoch-K", a checkpoint the train section saves: train.checkpoints).'),
  probed: z.enum(SETS).default('primary').describe('Examples stepped at (rows).'),
  measured: z.enum(SETS).default('primary').describe('Examples whose change is recorded (columns).'),
  precision: z.enum(PRODUCT_PRECISIONS).default('auto')
    .describe('Products of the fast path: "auto" = float64 for small, float32 K-blocks summed in float64 (~1e-7) for large.'),
  shards: z.int().min(1).default(1).describe('Row shards the pipeline splits the probe into, each its own task.'),
  memoryMb: z.number().min(1).default(4096).describe('MB the stage may hold: the fast reset probe runs its rows in blocks within it, streamed to the files; online and generic probes hold every row.'),
}).describe('Probe stage: relative and kernelized local elasticity (method.md sections 2-3).');

/** Applies defaults to the `probe` section and validates every key. */
export const parseProbeConfig = sectionParser<ProbeConfig>('probe', PROBE_SCHEMA);
