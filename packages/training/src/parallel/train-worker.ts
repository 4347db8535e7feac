/**
 * A training worker thread: its own TensorFlow.js backend, a copy of the
 * data (from shared memory), and either a shard of a 2-layer MLP's hidden
 * units or a full replica of the model. Runs whole epochs on request,
 * meeting the other workers at barriers in shared memory (no messages per
 * step). Started by WorkerPool; runs under `node --import tsx` because
 * worker threads inherit the parent's execArgv.
 */
import { parentPort } from 'node:worker_threads';
import { initBackend } from '@elasticity/core';
import { tf } from '@elasticity/core/tf';
import { BarrierAborted, barrierAbort, barrierWait } from './barrier.ts';
import { replicaEpoch } from './replica-epoch.ts';
import type { ReplicaRun } from './replica-epoch.ts';
import type { FromWorker, InitMessage, ToWorker } from './messages.ts';
import { fastForward } from '../fast-forward.ts';
import { lossFunction } from '../losses.ts';
import { trainableVariables } from '../sgd.ts';
import { twoLayerEpoch } from '../two-layer-epoch.ts';
import type { TwoLayerRun } from '../two-layer-epoch.ts';
import { TfjsTwoLayerShard } from '../two-layer-shard-tfjs.ts';

const port = parentPort!;

let control: Int32Array;
let twoLayer: TwoLayerRun | undefined;
let replica: (ReplicaRun & { model: tf.LayersModel }) | undefined;

const post = (message: FromWorker) => port.postMessage(message);

async function start(message: InitMessage): Promise<void> {
  control = new Int32Array(message.control);
  await initBackend(message.backend);
  const y = new Float32Array(message.y);
  const n = y.length;
  const x = new Float32Array(message.x);
  if (message.twoLayer) {
    const { shard, c, hidden, sigmoidOutput } = message.twoLayer;
    const partials = new Float32Array(message.exchange);
    const slot = partials.length / (2 * message.workers);
    twoLayer = {
      shard: new TfjsTwoLayerShard(shard, { hidden, sigmoidOutput }), x, d: message.d, y, lr: message.lr, loss: message.loss, sigmoidOutput, c,
      reduce: (partial, step) => {
        // double-buffered by step parity: one barrier per step suffices
        const base = (step % 2) * message.workers * slot;
        partials.set(partial, base + message.rank * slot);
        barrierWait(control, message.workers);
        const z = new Float64Array(partial.length);
        for (let k = 0; k < message.workers; k++) {
          for (let i = 0; i < z.length; i++) z[i] += partials[base + k * slot + i];
        }
        return z;
      },
    };
  } else {
    const { topology, weights } = message.replica!;
    const model = await tf.models.modelFromJSON(topology as tf.io.ModelJSON['modelTopology'] as never);
    const values = weights.map((w) => tf.tensor(w.values, w.shape));
    model.setWeights(values);
    tf.dispose(values);
    replica = {
      model, vars: trainableVariables(model),
      forward: fastForward(model) ?? ((x: tf.Tensor2D) => model.apply(x, { training: true }) as tf.Tensor),
      lossOf: lossFunction(message.loss), xAll: tf.tensor2d(x, [n, message.d]), yAll: tf.tensor2d(y, [n, 1]), lr: message.lr, rank: message.rank, workers: message.workers,
      grads: new Float32Array(message.exchange), stats: new Float64Array(message.stats), control,
    };
  }
}

async function handle(message: ToWorker): Promise<void> {
  if (message.type === 'epoch') {
    const stats = twoLayer ? await twoLayerEpoch(twoLayer, message.order, message.batch) : replicaEpoch(replica!, message.order, message.batch);
    post({ type: 'epoch', stats });
  } else if (message.type === 'weights') {
    if (twoLayer) post({ type: 'weights', shard: await twoLayer.shard.weights(), c: twoLayer.c });
    else post({ type: 'weights', weights: replica!.model.getWeights().map((t) => t.dataSync() as Float32Array) });
  } else if (message.type === 'close') {
    await twoLayer?.shard.dispose();
    replica?.model.dispose();
    port.close();
  }
}

port.on('message', (message: ToWorker) => {
  const run = async () => {
    if (message.type === 'init') {
      await start(message);
      post({ type: 'ready' });
    } else await handle(message);
  };
  run().catch((error: unknown) => {
    const aborted = error instanceof BarrierAborted;
    if (!aborted && control) barrierAbort(control);
    post({ type: 'error', message: error instanceof Error ? (error.stack ?? error.message) : String(error), aborted });
  });
});

