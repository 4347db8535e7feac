import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createRng, ElasticityError, initBackend } from '@elasticity/core';
import { openOnnxMatMul } from '@elasticity/core';
import { getModelSpec } from '../models/zoo.ts';
import { initPyTorchDefault } from '../init.ts';
import { trainModel } from '../train.ts';
import type { TrainData, TrainOptions } from '../train.ts';

before(async () => {
  await initBackend('auto');
});

const onnx = await openOnnxMatMul();
await onnx?.release();

function data(n: number, d: number, seed: number): TrainData {
  const rng = createRng(seed);
  const y = Float32Array.from({ length: n }, (_, i) => i % 2);
  const x = Float32Array.from({ length: n * d }, (_, k) => rng.uniform(-1, 1) + (k % d === 0 ? y[Math.floor(k / d)] - 0.5 : 0));
  return { x, d, y };
}

async function run(name: string, width: number, options: Omit<TrainOptions, 'loss'>, train: TrainData) {
  const spec = getModelSpec(name);
  const model = spec.build({ inputShape: [train.d], width });
  initPyTorchDefault(model, 7);
  const checkpoints: number[][] = [];
  const records = await trainModel(model, train, {
    ...options, loss: spec.defaultLoss, onCheckpoint: (epoch, m) => {
      checkpoints.push([epoch, ...m.getWeights()[0].dataSync().slice(0, 3)]);
    },
  });
  const weights = model.getWeights().map((t) => Float64Array.from(t.dataSync()));
  model.dispose();
  return { records, weights, checkpoints };
}

function assertClose(a: ArrayLike<number>, b: ArrayLike<number>, tol: number, what: string): void {
  assert.equal(a.length, b.length, what);
  for (let i = 0; i < a.length; i++) assert.ok(Math.abs(a[i] - b[i]) <= tol * (1 + Math.abs(b[i])), `${what}[${i}]: ${a[i]} vs ${b[i]}`);
}

describe('training on worker threads equals training in one thread up to float rounding', () => {
  const cases: Array<[string, number, number, 'onnx' | 'tfjs']> = [
    ['MLPNet', 9, 2, 'tfjs'], // hidden units split across workers
    ['MLPNet', 9, 2, 'onnx'], // onnx: ONNX Runtime's products on 2 / 3 threads in this thread
    ['MLPProb', 9, 3, 'tfjs'], // 3 shards of 3 units, BCE
    ['MLPProb', 9, 3, 'onnx'],
    ['ResNet', 6, 2, 'tfjs'], // replicas averaging gradients of batch shares (autograd: TensorFlow.js)
  ];
  for (const [name, width, workers, kernel] of cases) {
    test(`${name} (${kernel}): ${workers} workers vs 1`, { skip: kernel === 'onnx' && !onnx ? 'onnxruntime-node is not installed' : false }, async () => {
      const train = data(33, 5, 1);
      const test = data(20, 5, 2);
      const options = { lr: 0.05, batch: 7, epochs: 3, seed: 4, test, checkpointEvery: 2, kernel };
      const single = await run(name, width, { ...options, workers: 1 }, train);
      const split = await run(name, width, { ...options, workers }, train);
      single.weights.forEach((w, i) => assertClose(split.weights[i], w, 1e-5, `weights ${i}`));
      assertClose(split.records.map((r) => r.loss), single.records.map((r) => r.loss), 1e-5, 'loss');
      assert.deepEqual(split.records.map((r) => [r.trainAccuracy, r.testAccuracy]), single.records.map((r) => [r.trainAccuracy, r.testAccuracy]));
      assert.equal(split.checkpoints.length, 1);
      assertClose(split.checkpoints[0], single.checkpoints[0], 1e-5, 'checkpoint');
      assert.ok(split.records[2].loss < split.records[0].loss, 'it learns');
    });
  }

  test('a diverging learning rate on 2 workers stops with the error naming epoch and step', async () => {
    await assert.rejects(run('MLPNet', 8, { lr: 1e7, batch: 5, epochs: 3, seed: 0, workers: 2, file: 'p.json' }, data(20, 5, 3)), (e: unknown) => {
      assert.ok(e instanceof ElasticityError, String(e));
      assert.equal(e.field, 'train.lr');
      assert.match(e.message, /^p\.json: train\.lr: loss is (NaN|Infinity) at epoch 1, step [2-4] \(of 4 per epoch\)/);
      return true;
    });
  });
});
