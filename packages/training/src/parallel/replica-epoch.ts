import { tf } from '@elasticity/core/tf';
import { barrierWait } from './barrier.ts';
import { batchRows } from '../epoch-stats.ts';
import type { EpochStats } from '../epoch-stats.ts';
import { DECISION_THRESHOLD } from '../output-head.ts';

/** One worker's state in data-parallel (gradient-averaging) training. */
export interface ReplicaRun {
  vars: tf.Variable[];
  forward: (x: tf.Tensor2D) => tf.Tensor;
  lossOf: (out: tf.Tensor, y: tf.Tensor) => tf.Scalar;
  xAll: tf.Tensor2D;
  yAll: tf.Tensor2D;
  lr: number;
  rank: number;
  workers: number;
  /** Shared: workers x P gradient slots (P = number of parameters). */
  grads: Float32Array;
  /** Shared: workers x 2 (loss x share size, correct count). */
  stats: Float64Array;
  control: Int32Array;
}

/**
 * One epoch of data-parallel SGD: every batch is cut into `workers`
 * contiguous shares; each worker takes the gradient of
 * lr * (share size / batch size) * (its share's mean loss), so the shares'
 * gradients add up to lr times the whole batch's gradient; after a barrier
 * every worker adds all slots in rank order and applies the same update
 * (identical replicas), and a second barrier frees the slots for the next step.
 */
export function replicaEpoch(run: ReplicaRun, order: Int32Array, batch: number): EpochStats {
  const P = run.grads.length / run.workers;
  const steps = Math.ceil(order.length / batch);
  let lossSum = 0;
  let correct = 0;
  for (let step = 1; step <= steps; step++) {
    const rows = batchRows(order, batch, step);
    const per = Math.ceil(rows.length / run.workers);
    const share = rows.subarray(Math.min(rows.length, run.rank * per), Math.min(rows.length, (run.rank + 1) * per));
    const slot = run.grads.subarray(run.rank * P, (run.rank + 1) * P);
    if (share.length === 0) {
      slot.fill(0);
      run.stats[2 * run.rank] = 0;
      run.stats[2 * run.rank + 1] = 0;
    } else {
      tf.tidy(() => {
        const index = tf.tensor1d(share, 'int32');
        const xb = tf.gather(run.xAll, index) as tf.Tensor2D;
        const yb = tf.gather(run.yAll, index);
        let loss: tf.Scalar | undefined;
        let right: tf.Scalar | undefined;
        const { grads } = tf.variableGrads(() => {
          const out = run.forward(xb);
          right = tf.keep(tf.sum<tf.Scalar>(tf.cast(tf.equal(tf.greater(out, DECISION_THRESHOLD), tf.greater(yb, DECISION_THRESHOLD)), 'float32')));
          loss = tf.keep(run.lossOf(out, yb));
          return tf.mul(loss, (run.lr * share.length) / rows.length) as tf.Scalar;
        }, run.vars);
        let at = 0;
        for (const v of run.vars) {
          slot.set(grads[v.name].dataSync() as Float32Array, at);
          at += v.size;
        }
        run.stats[2 * run.rank] = loss!.dataSync()[0] * share.length;
        run.stats[2 * run.rank + 1] = right!.dataSync()[0];
      });
    }
    barrierWait(run.control, run.workers);
    let stepLoss = 0;
    for (let k = 0; k < run.workers; k++) {
      stepLoss += run.stats[2 * k];
      correct += run.stats[2 * k + 1];
    }
    if (!Number.isFinite(stepLoss)) return { lossSum, correct, diverged: { step, loss: stepLoss } };
    lossSum += stepLoss;
    tf.tidy(() => {
      let at = 0;
      for (const v of run.vars) {
        let sum: tf.Tensor = tf.tensor(run.grads.subarray(at, at + v.size), v.shape);
        for (let k = 1; k < run.workers; k++) sum = tf.add(sum, tf.tensor(run.grads.subarray(k * P + at, k * P + at + v.size), v.shape));
        v.assign(tf.sub(v, sum));
        at += v.size;
      }
    });
    barrierWait(run.control, run.workers);
  }
  return { lossSum, correct };
}
