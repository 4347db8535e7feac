import { createProgress, createRng, ElasticityError, permutation, tf } from '@elasticity/core';
import type { EpochRecord, Logger } from '@elasticity/core';
import { denseForward } from './dense-forward.ts';
import { lossFunction } from './losses.ts';
import { sgdStep, trainableVariables } from './sgd.ts';
import type { LossKind } from './models/model-spec.ts';

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
  /** Held-out examples; their accuracy is recorded after each epoch (else -1). */
  test?: TrainData;
  /** Pipeline file named by errors (the field is `train.lr`). */
  file?: string;
  log?: Logger;
  onEpoch?: (record: EpochRecord) => void;
}

/** Both the MSE and the sigmoid (BCE) models predict class 1 when the output is > 0.5. */
export const DECISION_THRESHOLD = 0.5;

function correctCount(out: tf.Tensor, y: tf.Tensor): tf.Scalar {
  return tf.sum(tf.cast(tf.equal(tf.greater(out, DECISION_THRESHOLD), tf.greater(y, DECISION_THRESHOLD)), 'float32'));
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
      return correctCount(model.apply(x) as tf.Tensor, y);
    });
    correct += count.dataSync()[0];
    count.dispose();
  }
  return correct / n;
}

function allFinite(vars: tf.Variable[]): boolean {
  return tf.tidy(() => vars.every((v) => tf.all(tf.isFinite(v)).dataSync()[0] === 1));
}

/**
 * Plain minibatch SGD (method.md section 5) on all rows of `data`.
 * Each epoch draws one permutation from a generator seeded with
 * options.seed and walks it in batches of options.batch (the last batch may
 * be smaller, as PyTorch's DataLoader without drop_last). Every step is
 * w <- w - lr * grad of the batch-mean loss. Dense-only models (the MLP
 * family) run their forward pass through denseForward, which gives the same
 * outputs as model.apply with a much faster gradient on wasm.
 *
 * Per epoch it records: loss = mean over the epoch's examples of the loss
 * each batch had just before its step (as a PyTorch loop's running loss);
 * trainAccuracy = fraction of the epoch's examples classified right by that
 * same forward pass; testAccuracy = accuracy on options.test after the epoch,
 * or -1 without a test set; seconds = wall time of the epoch.
 *
 * A NaN or infinite loss (or weights) stops training with an ElasticityError
 * naming the epoch and step (field train.lr: lower the learning rate).
 * All tensors are freed; memory stays flat across epochs.
 */
export function trainModel(model: tf.LayersModel, data: TrainData, options: TrainOptions): EpochRecord[] {
  const n = rowsOf(data);
  if (n === 0) throw new ElasticityError('no training examples', { file: options.file, field: 'target' });
  if (data.x.length !== n * data.d) throw new Error(`x has ${data.x.length} values, expected ${n} x ${data.d}`);
  const lossOf = lossFunction(options.loss);
  const vars = trainableVariables(model);
  const forward = denseForward(model) ?? ((x: tf.Tensor2D) => model.apply(x, { training: true }) as tf.Tensor);
  const steps = Math.ceil(n / options.batch);
  const rng = createRng(options.seed);
  const records: EpochRecord[] = [];
  const diverged = (what: string, epoch: number, step: number) => new ElasticityError(
    `${what} at epoch ${epoch}, step ${step} (of ${steps} per epoch): training diverged; lower the learning rate (now ${options.lr})`,
    { file: options.file, field: 'train.lr' },
  );
  const xAll = tf.tensor2d(data.x, [n, data.d]);
  const yAll = tf.tensor2d(data.y, [n, 1]);
  const progress = createProgress(`train ${model.name}`, options.epochs * steps);
  try {
    for (let epoch = 1; epoch <= options.epochs; epoch++) {
      const started = performance.now();
      const order = permutation(n, rng);
      let lossSum = 0;
      let correct = 0;
      for (let step = 1; step <= steps; step++) {
        const rows = order.subarray((step - 1) * options.batch, Math.min(n, step * options.batch));
        let batchCorrect: tf.Scalar | undefined;
        const loss = tf.tidy(() => {
          const index = tf.tensor1d(rows, 'int32');
          const xb = tf.gather(xAll, index) as tf.Tensor2D;
          const yb = tf.gather(yAll, index);
          return sgdStep(vars, () => {
            const out = forward(xb);
            batchCorrect = tf.keep(correctCount(out, yb));
            return lossOf(out, yb);
          }, options.lr);
        });
        const value = loss.dataSync()[0];
        loss.dispose();
        correct += batchCorrect!.dataSync()[0];
        batchCorrect!.dispose();
        if (!Number.isFinite(value)) throw diverged(`loss is ${value}`, epoch, step);
        lossSum += value * rows.length;
        progress.tick();
      }
      if (!allFinite(vars)) throw diverged('weights are not finite', epoch, steps);
      const record: EpochRecord = {
        epoch,
        loss: lossSum / n,
        trainAccuracy: correct / n,
        testAccuracy: options.test ? accuracy(model, options.test) : -1,
        seconds: (performance.now() - started) / 1000,
      };
      records.push(record);
      options.log?.info(`epoch ${epoch}/${options.epochs}: loss ${record.loss.toPrecision(4)}, train accuracy ${record.trainAccuracy.toFixed(4)}`
        + `${options.test ? `, test accuracy ${record.testAccuracy.toFixed(4)}` : ''} (${record.seconds.toFixed(2)} s)`);
      options.onEpoch?.(record);
    }
  } finally {
    progress.stop();
    xAll.dispose();
    yAll.dispose();
  }
  return records;
}
