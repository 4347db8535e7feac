import { batchRows } from './epoch-stats.ts';
import type { EpochStats } from './epoch-stats.ts';
import { outputHead } from './output-head.ts';
import type { LossKind } from './models/model-spec.ts';
import { batchRowsOf } from './two-layer-shard.ts';
import type { TwoLayerShard } from './two-layer-shard.ts';

/** State of one participant of unit-split training of a 2-layer MLP. */
export interface TwoLayerRun {
  shard: TwoLayerShard;
  /** All training rows, n x d row-major. */
  x: Float32Array;
  d: number;
  y: Float32Array;
  lr: number;
  loss: LossKind;
  sigmoidOutput: boolean;
  /** The output bias c (every participant keeps the same copy). */
  c: number;
  /** The sum over all shards of the partial outputs of this step (same order on every participant). */
  reduce(partial: Float32Array, step: number): Float64Array;
}

/**
 * One epoch of minibatch SGD for a 2-layer MLP split by hidden units: each
 * step computes this shard's partial outputs, sums all shards' (reduce),
 * takes the loss and dL/dz in float64 (outputHead) and updates this shard's
 * units and c. Every participant computes the same sum, loss and c, so all
 * stop at the same step when the loss is not finite.
 */
export async function twoLayerEpoch(run: TwoLayerRun, order: Int32Array, batch: number, onStep?: () => void): Promise<EpochStats> {
  const steps = Math.ceil(order.length / batch);
  let lossSum = 0;
  let correct = 0;
  for (let step = 1; step <= steps; step++) {
    const rows = batchRows(order, batch, step);
    const xb = batchRowsOf(run.x, run.d, rows);
    const partial = await run.shard.forward(xb);
    const z = run.reduce(partial, step);
    for (let i = 0; i < z.length; i++) z[i] += run.c;
    const head = outputHead(z, Array.from(rows, (r) => run.y[r]), run.loss, run.sigmoidOutput);
    if (!Number.isFinite(head.loss)) return { lossSum, correct, diverged: { step, loss: head.loss } };
    lossSum += head.loss * rows.length;
    correct += head.correct;
    const g = Float32Array.from(head.dz, (v) => v * run.lr);
    await run.shard.update(xb, g);
    run.c = Math.fround(run.c - Math.fround(g.reduce((s, v) => s + v, 0)));
    onStep?.();
  }
  await run.shard.endEpoch();
  return { lossSum, correct };
}
