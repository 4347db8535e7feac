import { distinctItems, MODEL_FROM_SCHEMA, sectionParser, whenValid, z } from '@elasticity/core';
import type { ModelFrom } from '@elasticity/core';
import { PRODUCT_PRECISIONS } from '@elasticity/mlp-engine';
import type { ProductPrecision } from '@elasticity/mlp-engine';

export type NtkKind = 'empirical' | 'infinite';
export type NtkMethod = 'auto' | 'closed-form' | 'generic';
export type NtkMode = 'full' | 'diagonal';

/** The pipeline's `ntk` section. */
export interface NtkConfig {
  /**
   * Kernels to write: 'empirical' = <grad f(x_i), grad f(x_j)> at the model's
   * weights (ntk.arrow); 'infinite' = the infinite-width NTK of a ReLU MLP
   * of the model's depth (ntk-infinite.arrow; data only). A string or a list.
   */
  kind: NtkKind[];
  /** At the trained weights (default), the initial ones or those after epoch K ('epoch-K', a checkpoint the train section saves). */
  from: ModelFrom;
  /** 'auto' = closed form for the MLP family, per-example gradients (generic) for any other model. */
  method: NtkMethod;
  /** Products of the closed form: 'auto' = float64 for small, float32 K-blocks summed in float64 (~1e-7) for large. */
  precision: ProductPrecision;
  /** Infinite NTK: weight and bias variance factors. */
  sigmaW2: number;
  sigmaB2: number;
  /** Infinite NTK: number of hidden ReLU layers, or 'model' (the model's hidden-layer count). */
  depth: number | 'model';
  /**
   * MB the stage may hold (default 4096). The closed form and the infinite
   * kernel compute the rows in blocks that fit it, each block streamed to
   * the file as its own record batch (one batch when the whole kernel fits);
   * the generic method holds per-example gradients within a quarter of it,
   * and the whole kernel.
   */
  memoryMb: number;
  /** Number of row shards the pipeline splits the NTK into (read by the pipeline runner; default 1). */
  shards: number;
  /**
   * 'full' (default): the n x n kernels (ntk.arrow, ntk-infinite.arrow);
   * 'diagonal': only each example's self-kernel K(x_i, x_i) and their sum,
   * the trace (ntk-diagonal.arrow, ntk-infinite-diagonal.arrow: one value per
   * example; trace in the metadata), in O(n) memory.
   */
  mode: NtkMode;
}

const KINDS: NtkKind[] = ['empirical', 'infinite'];
const METHODS: NtkMethod[] = ['auto', 'closed-form', 'generic'];

const KIND = z.enum(KINDS);

/** The `ntk` section: every key optional, defaults applied. */
export const NTK_SCHEMA = z.strictObject({
  kind: z.union([KIND, z.array(KIND).min(1).superRefine(distinctItems({ at: 'list', message: (k) => `lists the kind "${k}" twice` }))])
    .default('empirical').transform((k): NtkKind[] => (typeof k === 'string' ? [k] : k))
    .describe('Kernels to write: "empirical" (at the model\'s weights, ntk.arrow), "infinite" (infinite-width ReLU NTK, ntk-infinite.arrow), or a list of them.'),
  from: MODEL_FROM_SCHEMA.default('trained').describe('At the trained weights ("trained"), the initial ones ("init") or those after epoch K ("epoch-K", a checkpoint the train section saves: train.checkpoints).'),
  method: z.enum(METHODS).default('auto').describe('"auto": closed form for the MLP family, per-example gradients (generic) for any other model.'),
  precision: z.enum(PRODUCT_PRECISIONS).default('auto')
    .describe('Products of the closed form: "auto" = float64 for small, float32 K-blocks summed in float64 (~1e-7) for large.'),
  sigmaW2: z.number().gt(0).default(2).describe('Infinite NTK: weight variance factor.'),
  sigmaB2: z.number().min(0).default(0).describe('Infinite NTK: bias variance factor.'),
  depth: z.union([z.literal('model'), z.int().min(0)]).default('model')
    .describe('Infinite NTK: number of hidden ReLU layers, or "model" (the model\'s hidden-layer count).'),
  memoryMb: z.number().min(1).default(4096).describe('MB the stage may hold: the closed form and the infinite kernel compute rows in blocks within it, streamed to the file; the generic method holds per-example gradients within a quarter of it, and the whole kernel.'),
  shards: z.int().min(1).default(1).describe('Row shards the pipeline splits the NTK into, each its own task.'),
  mode: z.enum(['full', 'diagonal']).default('full')
    .describe('"full": the n x n kernels; "diagonal": each example\'s self-kernel K(x_i, x_i) and the trace only (ntk-diagonal.arrow), in O(n) memory.'),
}).superRefine((c, ctx) => {
  if (c.mode === 'diagonal' && c.shards > 1) ctx.addIssue({ code: 'custom', path: ['shards'], message: 'shards split the rows of the full kernel; the diagonal takes one task (shards 1)' });
}, whenValid).describe('NTK stage: empirical and infinite-width neural tangent kernels.');

/** Applies defaults to the `ntk` section and validates every key. */
export const parseNtkConfig = sectionParser<NtkConfig>('ntk', NTK_SCHEMA);
