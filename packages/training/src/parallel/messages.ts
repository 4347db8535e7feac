import type { BackendChoice } from '@elasticity/core';
import type { EpochStats } from '../epoch-stats.ts';
import type { LossKind } from '../models/model-spec.ts';
import type { ShardWeights, TwoLayerShape } from '../two-layer-shard.ts';

/** What every worker gets once. Buffers are shared (no copies per step). */
export interface InitMessage {
  type: 'init';
  backend: BackendChoice;
  rank: number;
  workers: number;
  lr: number;
  loss: LossKind;
  /** Shared n x d training rows and n labels. */
  x: SharedArrayBuffer;
  y: SharedArrayBuffer;
  d: number;
  /** Barrier state (BARRIER_INTS Int32). */
  control: SharedArrayBuffer;
  /** two-layer: 2 x workers x batch Float32 partial outputs; replica: workers x P Float32 gradients. */
  exchange: SharedArrayBuffer;
  /** replica: workers x 2 Float64 (loss x share, correct). */
  stats: SharedArrayBuffer;
  twoLayer?: TwoLayerShape & { shard: ShardWeights; c: number };
  replica?: { topology: object; weights: Array<{ shape: number[]; values: Float32Array }> };
}

export interface EpochMessage {
  type: 'epoch';
  order: Int32Array;
  batch: number;
}

export type ToWorker = InitMessage | EpochMessage | { type: 'weights' } | { type: 'close' };

export type FromWorker =
  | { type: 'ready' }
  | { type: 'epoch'; stats: EpochStats }
  | { type: 'weights'; shard?: ShardWeights; c?: number; weights?: Float32Array[] }
  | { type: 'error'; message: string; aborted: boolean };
