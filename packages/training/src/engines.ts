import { tf } from '@elasticity/core/tf';
import type { BackendChoice } from '@elasticity/core';
import { batchRows } from './epoch-stats.ts';
import type { EpochStats } from './epoch-stats.ts';
import { fastForward } from './fast-forward.ts';
import { lossFunction } from './losses.ts';
import type { LossKind } from './models/model-spec.ts';
import { DECISION_THRESHOLD } from './output-head.ts';
import { WorkerPool } from './parallel/worker-pool.ts';
import { sgdStep, trainableVariables } from './sgd.ts';
import { twoLayerEpoch } from './two-layer-epoch.ts';
import type { TwoLayerRun } from './two-layer-epoch.ts';
import { readTwoLayer, shardOf, twoLayerShapeOf, writeTwoLayer } from './two-layer-model.ts';
import { openTwoLayerShard } from './open-two-layer-shard.ts';
import type { ShardKernel } from './two-layer-shard.ts';

/** How a model's SGD steps are computed: in this thread or on worker threads. */
export interface Engine {
  /** 'autograd', 'two-layer (tfjs)' / 'two-layer (onnx)' (explicit gradients), 'two-layer (onnx, K threads)', 'two-layer x K workers' (tfjs) or 'replica x K workers'. */
  readonly kind: string;
  epoch(order: Int32Array, batch: number, onStep: () => void): Promise<EpochStats>;
  /** Makes the model hold the engine's current weights. */
  sync(): Promise<void>;
  close(): Promise<void>;
}

export interface EngineOptions {
  loss: LossKind;
  lr: number;
  batch: number;
  workers: number;
  backend: BackendChoice;
  /** Kernel of the 2-layer family's steps (other models train by autograd on the TensorFlow.js backend). */
  kernel: ShardKernel;
}

function correctCount(out: tf.Tensor, y: tf.Tensor): tf.Scalar {
  return tf.sum(tf.cast(tf.equal(tf.greater(out, DECISION_THRESHOLD), tf.greater(y, DECISION_THRESHOLD)), 'float32'));
}

/** Any model in this thread: autograd through fastForward (or model.apply). */
function autogradEngine(model: tf.LayersModel, x: Float32Array, y: Float32Array, d: number, options: EngineOptions): Engine {
  const n = y.length;
  const lossOf = lossFunction(options.loss);
  const vars = trainableVariables(model);
  const forward = fastForward(model) ?? ((xb: tf.Tensor2D) => model.apply(xb, { training: true }) as tf.Tensor);
  const xAll = tf.tensor2d(x, [n, d]);
  const yAll = tf.tensor2d(y, [n, 1]);
  return {
    kind: 'autograd',
    epoch: async (order, batch, onStep) => {
      const steps = Math.ceil(n / batch);
      let lossSum = 0;
      let correct = 0;
      for (let step = 1; step <= steps; step++) {
        const rows = batchRows(order, batch, step);
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
        if (!Number.isFinite(value)) return { lossSum, correct, diverged: { step, loss: value } };
        lossSum += value * rows.length;
        onStep();
      }
      return { lossSum, correct };
    },
    sync: async () => {},
    close: async () => {
      xAll.dispose();
      yAll.dispose();
    },
  };
}

/**
 * A 2-layer MLP in this thread: explicit gradients in the transposed layout
 * (one shard holding every unit); on the onnx kernel, ONNX Runtime's
 * products use `threads` threads.
 */
async function twoLayerEngine(model: tf.LayersModel, x: Float32Array, y: Float32Array, d: number, options: EngineOptions, threads: number): Promise<Engine> {
  const w = readTwoLayer(model)!;
  const run: TwoLayerRun = {
    shard: await openTwoLayerShard(shardOf(w, 0, 1), w, options.kernel, options.batch, threads), x, d, y, lr: options.lr, loss: options.loss,
    sigmoidOutput: w.sigmoidOutput, c: w.c, reduce: (partial) => Float64Array.from(partial),
  };
  return {
    kind: threads > 1 ? `two-layer (onnx, ${threads} threads)` : `two-layer (${options.kernel})`,
    epoch: (order, batch, onStep) => twoLayerEpoch(run, order, batch, onStep),
    sync: async () => writeTwoLayer(model, [await run.shard.weights()], run.c),
    close: () => run.shard.dispose(),
  };
}

async function poolEngine(model: tf.LayersModel, x: Float32Array, y: Float32Array, d: number, options: EngineOptions, twoLayer: boolean): Promise<Engine> {
  const mode = twoLayer ? 'two-layer' : 'replica';
  const pool = await WorkerPool.start(model, x, y, d, { ...options, mode });
  return {
    kind: `${mode} x ${options.workers} workers`,
    epoch: async (order, batch, onStep) => {
      const stats = await pool.epoch(order, batch);
      for (let s = Math.ceil(order.length / batch); s > 0; s--) onStep();
      return stats;
    },
    sync: () => pool.writeWeights(model),
    close: () => pool.close(),
  };
}

/**
 * The engine for `model`: a 2-layer Dense MLP (the MLPNet family) trains
 * with explicit gradients: on the onnx kernel in this thread, ONNX Runtime
 * running its products on `workers` threads; on the tfjs kernel with its
 * hidden units split across `workers` worker threads when workers > 1. Any
 * other model trains by autograd, as replicas on `workers` threads averaging
 * gradients when workers > 1.
 */
export async function createEngine(model: tf.LayersModel, x: Float32Array, y: Float32Array, d: number, options: EngineOptions): Promise<Engine> {
  const twoLayer = twoLayerShapeOf(model) !== undefined;
  if (twoLayer && options.kernel === 'onnx') return twoLayerEngine(model, x, y, d, options, options.workers);
  if (options.workers > 1) return poolEngine(model, x, y, d, options, twoLayer);
  return twoLayer ? await twoLayerEngine(model, x, y, d, options, 1) : autogradEngine(model, x, y, d, options);
}
