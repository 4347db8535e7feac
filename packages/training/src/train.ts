import { createProgress, createRng, currentBackend, ElasticityError, permutation } from '@elasticity/core';
import { tf } from '@elasticity/core/tf';
import type { BackendChoice, EpochRecord, Logger } from '@elasticity/core';
import { createEngine } from './engines.ts';
import { resolveShardKernel } from './open-two-layer-shard.ts';
import type { ShardKernel } from './two-layer-shard.ts';
import type { LossKind } from './models/model-spec.ts';
import { DECISION_THRESHOLD } from './output-head.ts';

export { DECISION_THRESHOLD };

/** Examples as flat rows: x is row-major n x d, y holds n labels in {0, 1}. */
export interface TrainData {
  x: Float32Array;
  d: number;
  y: Float32Array;
}

export interface TrainOptions {
  loss: LossKind;
  lr: number;
  batch: number;
  epochs: number;
  /** Seeds the shuffling generator: createRng(seed), one permutation per epoch. */
  seed: number;
  /** Threads that compute the steps: 1 (default) trains in this thread; K > 1 starts K worker threads (the onnx kernel: ONNX Runtime's products on K threads). */
  workers?: number;
  /**
   * Kernel of the 2-layer family's steps: 'onnx' (ONNX Runtime's MatMul with
   * deferred weight updates, two-layer-shard-onnx.ts), 'tfjs' (the
   * TensorFlow.js backend), or 'auto' (default): onnx where onnxruntime-node
   * is installed, else tfjs. Other models train by autograd on TensorFlow.js.
   */
  kernel?: 'auto' | ShardKernel;
  /** Held-out examples; their accuracy is recorded after each epoch (else -1). */
  test?: TrainData;
  /** Call onCheckpoint after every `checkpointEvery`-th epoch (0 or absent: never). */
  checkpointEvery?: number;
  /** Call onCheckpoint also after each of these epochs (epoch 0, the initial weights, is the caller's). */
  checkpoints?: number[];
  /** Gets the model holding the weights after `epoch` (awaited before training goes on). */
  onCheckpoint?: (epoch: number, model: tf.LayersModel) => Promise<void> | void;
  /** Pipeline file named by errors (the field is `train.lr`). */
  file?: string;
  log?: Logger;
  onEpoch?: (record: TimedEpochRecord) => void;
}

/** An epoch's record with its wall time (with the test pass): the time goes to the log and the stage's timings file, not into metrics.arrow. */
export interface TimedEpochRecord extends EpochRecord {
  seconds: number;
}

function rowsOf(data: TrainData): number {
  return data.y.length;
}

/** Fraction of `data` the model classifies correctly (output > 0.5 -> class 1), in chunks. */
export function accuracy(model: tf.LayersModel, data: TrainData, chunk = 1000): number {
  const n = rowsOf(data);
  if (n === 0) return -1;
  let correct = 0;
  for (let start = 0; start < n; start += chunk) {
    const end = Math.min(n, start + chunk);
    const count = tf.tidy(() => {
      const x = tf.tensor2d(data.x.subarray(start * data.d, end * data.d), [end - start, data.d]);
      const y = tf.tensor2d(data.y.subarray(start, end), [end - start, 1]);
      const out = model.predict(x) as tf.Tensor;
      return tf.sum(tf.cast(tf.equal(tf.greater(out, DECISION_THRESHOLD), tf.greater(y, DECISION_THRESHOLD)), 'float32'));
    });
    correct += count.dataSync()[0];
    count.dispose();
  }
  return correct / n;
}

function allFinite(model: tf.LayersModel): boolean {
  return tf.tidy(() => model.getWeights().every((v) => tf.all(tf.isFinite(v)).dataSync()[0] === 1));
}

/**
 * Plain minibatch SGD (method.md section 5) on all rows of `data`.
 * Each epoch draws one permutation from a generator seeded with
 * options.seed and walks it in batches of options.batch (the last batch may
 * be smaller, as PyTorch's DataLoader without drop_last). Every step is
 * w <- w - lr * grad of the batch-mean loss, computed by the engine of
 * engines.ts: 2-layer MLPs with explicit gradients (hidden units split
 * across worker threads when options.workers > 1), other models by
 * autograd (gradients of batch shares averaged across workers when > 1);
 * every engine gives the same updates up to float rounding.
 *
 * Per epoch it records: loss = mean over the epoch's examples of the loss
 * each batch had just before its step (as a PyTorch loop's running loss);
 * trainAccuracy = fraction of the epoch's examples classified right by that
 * same forward pass; testAccuracy = accuracy on options.test after the epoch,
 * or -1 without a test set; seconds = wall time of the epoch (with the test pass).
 * The model holds the final weights when the promise resolves.
 *
 * A NaN or infinite loss (or weights) stops training with an ElasticityError
 * naming the epoch and step (field train.lr: lower the learning rate).
 * All tensors and workers are freed, also on error.
 */
export async function trainModel(model: tf.LayersModel, data: TrainData, options: TrainOptions): Promise<TimedEpochRecord[]> {
  const n = rowsOf(data);
  if (n === 0) throw new ElasticityError('no training examples', { file: options.file, field: 'target' });
  if (data.x.length !== n * data.d) throw new Error(`x has ${data.x.length} values, expected ${n} x ${data.d}`);
  const steps = Math.ceil(n / options.batch);
  const rng = createRng(options.seed);
  const records: TimedEpochRecord[] = [];
  const diverged = (what: string, epoch: number, step: number) => new ElasticityError(
    `${what} at epoch ${epoch}, step ${step} (of ${steps} per epoch): training diverged; lower the learning rate (now ${options.lr})`,
    { file: options.file, field: 'train.lr' },
  );
  const workers = options.workers ?? 1;
  const backend = (currentBackend() ?? 'auto') as BackendChoice;
  const kernel = await resolveShardKernel(options.kernel ?? 'auto');
  const engine = await createEngine(model, data.x, data.y, data.d, { loss: options.loss, lr: options.lr, batch: options.batch, workers, backend, kernel });
  options.log?.debug(`training engine: ${engine.kind}`);
  const progress = createProgress(`train ${model.name}`, options.epochs * steps);
  try {
    for (let epoch = 1; epoch <= options.epochs; epoch++) {
      const started = performance.now();
      const order = permutation(n, rng);
      const stats = await engine.epoch(order, options.batch, () => progress.tick());
      if (stats.diverged) throw diverged(`loss is ${stats.diverged.loss}`, epoch, stats.diverged.step);
      const checkpoint = ((options.checkpointEvery ?? 0) > 0 && epoch % options.checkpointEvery! === 0) || (options.checkpoints?.includes(epoch) ?? false);
      const last = epoch === options.epochs;
      if (options.test || checkpoint || last) {
        // (a non-finite weight otherwise shows as a non-finite loss in the next step)
        await engine.sync();
        if (!allFinite(model)) throw diverged('weights are not finite', epoch, steps);
      }
      const record: TimedEpochRecord = {
        epoch,
        loss: stats.lossSum / n,
        trainAccuracy: stats.correct / n,
        testAccuracy: options.test ? accuracy(model, options.test) : -1,
        seconds: (performance.now() - started) / 1000,
      };
      records.push(record);
      options.log?.info(`epoch ${epoch}/${options.epochs}: loss ${record.loss.toPrecision(4)}, train accuracy ${record.trainAccuracy.toFixed(4)}`
        + `${options.test ? `, test accuracy ${record.testAccuracy.toFixed(4)}` : ''} (${record.seconds.toFixed(2)} s)`);
      options.onEpoch?.(record);
      if (checkpoint) await options.onCheckpoint?.(epoch, model);
    }
  } finally {
    progress.stop();
    await engine.close();
  }
  return records;
}
