import type { Worker } from 'node:worker_threads';
import { tf } from '@elasticity/core/tf';
import type { BackendChoice } from '@elasticity/core';
import { BARRIER_INTS } from './barrier.ts';
import { startTsWorker } from './ts-worker.ts';
import { setWorkerV8Flags } from './worker-v8-flags.ts';
import type { FromWorker, InitMessage, ToWorker } from './messages.ts';
import type { EpochStats } from '../epoch-stats.ts';
import type { LossKind } from '../models/model-spec.ts';
import { readTwoLayer, shardOf, writeTwoLayer } from '../two-layer-model.ts';
import type { ShardWeights } from '../two-layer-shard.ts';

export type ParallelMode = 'two-layer' | 'replica';

export interface PoolOptions {
  workers: number;
  mode: ParallelMode;
  backend: BackendChoice;
  lr: number;
  loss: LossKind;
  /** Largest batch (sizes the exchange buffers). */
  batch: number;
}

function shared(bytes: number): SharedArrayBuffer {
  return new SharedArrayBuffer(Math.max(8, bytes));
}

/**
 * Worker threads that train one model together: 'two-layer' splits a
 * 2-layer MLP's hidden units across the workers (each step exchanges only
 * the batch's partial outputs), 'replica' gives every worker the whole
 * model and averages gradients of batch shares. The main thread only sends
 * each epoch's order and collects the results.
 */
export class WorkerPool {
  private constructor(private readonly workers: Worker[], private readonly mode: ParallelMode) {}

  static async start(model: tf.LayersModel, x: Float32Array, y: Float32Array, d: number, options: PoolOptions): Promise<WorkerPool> {
    const K = options.workers;
    setWorkerV8Flags();
    const xShared = shared(x.byteLength);
    new Float32Array(xShared).set(x);
    const yShared = shared(y.byteLength);
    new Float32Array(yShared).set(y);
    const control = shared(BARRIER_INTS * 4);
    const base = { type: 'init' as const, backend: options.backend, workers: K, lr: options.lr, loss: options.loss, x: xShared, y: yShared, d, control };
    const messages: InitMessage[] = [];
    if (options.mode === 'two-layer') {
      const w = readTwoLayer(model);
      if (!w) throw new Error('two-layer mode needs a Dense(H) -> Dense(1) model');
      const exchange = shared(2 * K * options.batch * 4);
      for (let k = 0; k < K; k++) {
        messages.push({ ...base, rank: k, exchange, stats: shared(8), twoLayer: { hidden: w.hidden, sigmoidOutput: w.sigmoidOutput, c: w.c, shard: shardOf(w, k, K) } });
      }
    } else {
      const weights = model.getWeights().map((t) => ({ shape: t.shape, values: t.dataSync() as Float32Array }));
      const P = weights.reduce((s, w) => s + w.values.length, 0);
      const exchange = shared(K * P * 4);
      const stats = shared(2 * K * 8);
      const topology = model.toJSON(undefined, false) as object;
      for (let k = 0; k < K; k++) messages.push({ ...base, rank: k, exchange, stats, replica: { topology, weights } });
    }
    const workers = messages.map(() => {
      const worker = startTsWorker(new URL('./train-worker.ts', import.meta.url));
      worker.on('error', () => {}); // reported through the request that is waiting (see all)
      return worker;
    });
    const pool = new WorkerPool(workers, options.mode);
    try {
      await pool.all(messages);
    } catch (error) {
      await pool.close();
      throw error;
    }
    return pool;
  }

  /** Runs one epoch over `order` on all workers; rank 0's statistics (all ranks agree). */
  async epoch(order: Int32Array, batch: number): Promise<EpochStats> {
    const replies = await this.all(this.workers.map(() => ({ type: 'epoch', order, batch })));
    return (replies[0] as Extract<FromWorker, { type: 'epoch' }>).stats;
  }

  /** Copies the workers' current weights into `model`. */
  async writeWeights(model: tf.LayersModel): Promise<void> {
    const replies = (await this.all(this.workers.map(() => ({ type: 'weights' })))) as Array<Extract<FromWorker, { type: 'weights' }>>;
    if (this.mode === 'two-layer') {
      writeTwoLayer(model, replies.map((r) => r.shard as ShardWeights), replies[0].c!);
    } else {
      const values = replies[0].weights!.map((v, i) => tf.tensor(v, model.weights[i].shape as number[]));
      model.setWeights(values);
      tf.dispose(values);
    }
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
  }

  /** Sends message i to worker i and waits for every reply; the first real error rejects. */
  private all(messages: ToWorker[]): Promise<FromWorker[]> {
    return new Promise((resolve, reject) => {
      const replies: FromWorker[] = new Array(messages.length);
      let pending = messages.length;
      const errors: string[] = [];
      const detach: Array<() => void> = [];
      const finish = () => {
        for (const off of detach) off();
        if (errors.length > 0) reject(new Error(`training worker failed: ${errors[0]}`));
        else resolve(replies);
      };
      this.workers.forEach((worker, i) => {
        let settled = false;
        const done = () => {
          if (settled) return;
          settled = true;
          pending--;
          if (pending === 0) finish();
        };
        const onMessage = (reply: FromWorker) => {
          if (reply.type === 'error') {
            if (!reply.aborted) errors.unshift(reply.message);
            else errors.push(reply.message);
          } else replies[i] = reply;
          done();
        };
        const onError = (error: Error) => {
          errors.unshift(error.stack ?? error.message);
          done();
        };
        const onExit = (code: number) => {
          errors.unshift(`worker ${i} exited with code ${code}`);
          done();
        };
        worker.on('message', onMessage);
        worker.on('error', onError);
        worker.on('exit', onExit);
        detach.push(() => {
          worker.off('message', onMessage);
          worker.off('error', onError);
          worker.off('exit', onExit);
        });
        worker.postMessage(messages[i]);
      });
    });
  }
}
