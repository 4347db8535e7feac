import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createRng, initBackend, openOnnxMatMul, permutation } from '@elasticity/core';
import { batchRows } from './epoch-stats.ts';
import { initPyTorchDefault } from './init.ts';
import { getModelSpec } from './models/zoo.ts';
import { trainModel } from './train.ts';
import { readTwoLayer, shardOf } from './two-layer-model.ts';
import { batchRowsOf } from './two-layer-shard.ts';
import type { ShardWeights } from './two-layer-shard.ts';
import { OnnxTwoLayerShard } from './two-layer-shard-onnx.ts';
import { TfjsTwoLayerShard } from './two-layer-shard-tfjs.ts';
import { twoLayerEpoch } from './two-layer-epoch.ts';
import type { TwoLayerRun } from './two-layer-epoch.ts';
import { batchGradJs, readMlpParams } from './testing/reference-mlp.ts';
import type { MlpParams } from './testing/reference-mlp.ts';

const installed = await openOnnxMatMul();
await installed?.release();
const skip = installed ? false : 'onnxruntime-node is not installed';

before(async () => {
  await initBackend('auto');
});

const d = 3;
const H = 6;
const N = 23;

function data(seed: number): { x: Float32Array; y: Float32Array } {
  const rng = createRng(seed);
  return {
    x: Float32Array.from({ length: N * d }, () => rng.uniform(-1, 1)),
    y: Float32Array.from({ length: N }, (_, i) => (i * 7) % 3 === 0 ? 1 : 0),
  };
}

/** Plain minibatch SGD in float64 by the closed-form gradients, over the batches trainModel draws (createRng(seed), one permutation per epoch). */
function sgdByHand(m: MlpParams, x: Float32Array, y: Float32Array, loss: 'mse' | 'bce', lr: number, batch: number, epochs: number, seed: number): Float64Array {
  let W = Float64Array.from(m.W), b = Float64Array.from(m.b), a = Float64Array.from(m.a), c = m.c;
  const rng = createRng(seed);
  for (let epoch = 0; epoch < epochs; epoch++) {
    const order = permutation(N, rng);
    for (let step = 1; step <= Math.ceil(N / batch); step++) {
      const rows = batchRows(order, batch, step);
      const xb = new Float64Array(rows.length * d);
      rows.forEach((r, i) => xb.set(x.subarray(r * d, r * d + d), i * d));
      const g = batchGradJs({ ...m, W, b, a, c }, xb, Array.from(rows, (r) => y[r]), loss);
      W = W.map((v, k) => v - lr * g.W[k]);
      b = b.map((v, k) => v - lr * g.b[k]);
      a = a.map((v, k) => v - lr * g.a[k]);
      c -= lr * g.c;
    }
  }
  return Float64Array.from([...W, ...b, ...a, c]);
}

const TWO_LAYER = ['MLPNet', 'MLPProb', 'MLPLinear', 'MLPLinearProb', 'MLPNetSigmoid'];

describe('the onnx kernel (deferred weight updates) trains the 2-layer family as plain SGD does', () => {
  for (const name of TWO_LAYER) {
    test(`${name}: 3 epochs of batch 4 (last batch 3, every step of an epoch deferred) equal SGD by hand in float64`, { skip }, async () => {
      const spec = getModelSpec(name);
      const model = spec.build({ inputShape: [d], width: H });
      initPyTorchDefault(model, 3);
      const m = readMlpParams(model, spec.activation, spec.sigmoidOutput);
      const { x, y } = data(4);
      const lr = spec.sigmoidOutput ? 0.5 : 0.1;
      await trainModel(model, { x, d, y }, { loss: spec.defaultLoss, lr, batch: 4, epochs: 3, seed: 5, kernel: 'onnx' });
      const got = Float64Array.from(model.getWeights().flatMap((t) => [...t.dataSync()]));
      model.dispose();
      const expected = sgdByHand(m, x, y, spec.defaultLoss, lr, 4, 3, 5);
      const moved = expected.some((v, k) => Math.abs(v - [...m.W, ...m.b, ...m.a, m.c][k]) > 1e-3);
      assert.ok(moved, 'the weights moved');
      expected.forEach((v, k) => assert.ok(Math.abs(got[k] - v) <= 1e-5 * (1 + Math.abs(v)), `weight ${k}: ${got[k]} vs ${v}`));
    });
  }
});

/** Runs `epochs` epochs of one shard holding every unit; `read` is called after each step with the shard. */
async function shardRun(shardFor: (w: ShardWeights) => Promise<TfjsTwoLayerShard | OnnxTwoLayerShard>, name: string, epochs: number, read?: (shard: TfjsTwoLayerShard | OnnxTwoLayerShard) => Promise<void>) {
  const spec = getModelSpec(name);
  const model = spec.build({ inputShape: [d], width: H });
  initPyTorchDefault(model, 8);
  const w = readTwoLayer(model)!;
  model.dispose();
  const { x, y } = data(9);
  const shard = await shardFor(shardOf(w, 0, 1));
  const run: TwoLayerRun = { shard, x, d, y, lr: 0.2, loss: spec.defaultLoss, sigmoidOutput: w.sigmoidOutput, c: w.c, reduce: (partial) => Float64Array.from(partial) };
  const rng = createRng(2);
  for (let e = 0; e < epochs; e++) await twoLayerEpoch(run, permutation(N, rng), 5, () => void read?.(shard));
  const out = await shard.weights();
  await shard.dispose();
  return { ...out, c: run.c };
}

describe('OnnxTwoLayerShard', () => {
  test('windows of 1, 2 and all steps of an epoch, and the TensorFlow.js shard, agree within float32 rounding', { skip }, async () => {
    for (const name of ['MLPNet', 'MLPNetSigmoid']) {
      const shape = name === 'MLPNet' ? { hidden: 'relu' as const, sigmoidOutput: false } : { hidden: 'sigmoid' as const, sigmoidOutput: false };
      const runs = [
        await shardRun(async (w) => (await OnnxTwoLayerShard.open(w, shape, { batch: 5, deferColumns: 5 }))!, name, 2),
        await shardRun(async (w) => (await OnnxTwoLayerShard.open(w, shape, { batch: 5, deferColumns: 10 }))!, name, 2),
        await shardRun(async (w) => (await OnnxTwoLayerShard.open(w, shape, { batch: 5 }))!, name, 2),
        await shardRun(async (w) => new TfjsTwoLayerShard(w, shape), name, 2),
      ];
      const [one, ...others] = runs;
      for (const [i, other] of others.entries()) {
        for (const key of ['Wt', 'b', 'a'] as const) {
          one[key].forEach((v, k) => assert.ok(Math.abs(other[key][k] - v) <= 2e-6 * (1 + Math.abs(v)), `${name} run ${i + 1} ${key}[${k}]: ${other[key][k]} vs ${v}`));
        }
        assert.ok(Math.abs(other.c - one.c) <= 2e-6, `${name} run ${i + 1} c`);
      }
    }
  });

  test('reading the weights in the middle of a window (they include the pending steps) leaves the training unchanged, to the bit', { skip }, async () => {
    const shape = { hidden: 'relu' as const, sigmoidOutput: false };
    const open = async (w: ShardWeights) => (await OnnxTwoLayerShard.open(w, shape, { batch: 5, deferColumns: 15 }))!;
    const reads: Float32Array[] = [];
    const plain = await shardRun(open, 'MLPNet', 2);
    const read = await shardRun(open, 'MLPNet', 2, async (shard) => {
      reads.push((await shard.weights()).Wt);
    });
    assert.deepEqual(read, plain);
    assert.ok(reads.length > 0);
  });

  test('a step larger than the batch it was made for, and an update of another size than the forward pass, are refused', { skip }, async () => {
    const w: ShardWeights = { d: 2, h: 3, Wt: new Float32Array(6).fill(0.25), b: Float32Array.from([0, 0, -1]), a: Float32Array.from([1, 2, 4]) };
    const shard = (await OnnxTwoLayerShard.open(w, { hidden: 'relu', sigmoidOutput: false }, { batch: 2 }))!;
    const x = Float32Array.from([1, 2, 3, 4, 5, 6]);
    await assert.rejects(shard.forward(batchRowsOf(x, 2, Int32Array.from([0, 1, 2]))), /a step of 3 examples in a shard made for batches of 2/);
    const rows = batchRowsOf(x, 2, Int32Array.from([0, 1]));
    const z = await shard.forward(rows);
    // h = 0.25 (x1 + x2) + b: rows (1, 2) -> 0.75, 0.75, -0.25; (3, 4) -> 1.75, 1.75, 0.75; z = a . relu(h)
    assert.deepEqual(Array.from(z), [0.75 + 2 * 0.75, 1.75 + 2 * 1.75 + 4 * 0.75]);
    await assert.rejects(shard.update(rows, new Float32Array(1)), /update of 1 examples after a forward pass of 2/);
    await shard.dispose();
  });
});

test('ONNX Runtime on 1 or 2 threads gives the same weights, to the bit (every entry of a product is summed by one thread)', { skip }, async () => {
  const h = 4096, dim = 96, n = 64, batch = 16;
  const rng = createRng(11);
  const random = (len: number, scale: number) => Float32Array.from({ length: len }, () => rng.uniform(-scale, scale));
  const w: ShardWeights = { d: dim, h, Wt: random(h * dim, 0.1), b: random(h, 0.1), a: random(h, 0.01) };
  const x = random(n * dim, 1);
  const y = Float32Array.from({ length: n }, (_, i) => i % 2);
  const results = [];
  for (const threads of [1, 2]) {
    const shard = (await OnnxTwoLayerShard.open(w, { hidden: 'relu', sigmoidOutput: false }, { batch, threads }))!;
    const run: TwoLayerRun = { shard, x, d: dim, y, lr: 0.05, loss: 'mse', sigmoidOutput: false, c: 0, reduce: (partial) => Float64Array.from(partial) };
    const order = permutation(n, createRng(3));
    await twoLayerEpoch(run, order, batch);
    await twoLayerEpoch(run, order, batch);
    results.push({ ...(await shard.weights()), c: run.c });
    await shard.dispose();
  }
  assert.notDeepEqual(results[0].Wt, w.Wt, 'the weights moved');
  assert.deepEqual(results[1], results[0]);
});
