import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRng, initBackend } from '@elasticity/core';
import { tf } from '@elasticity/core/tf';
import { definitionOutput, onBackend, readMlpNet } from '@elasticity/mlp-engine';
import type { HiddenActivation, MlpNet } from '@elasticity/mlp-engine';
import { fastMlpProbe, fastNetProbe } from './fast-mlp-probe.ts';
import { genericProbe } from './generic-probe.ts';
import { kernelizedSimilarity, relativeSimilarity } from './probe-result.ts';
import type { ProbeLoss } from './probe-loss.ts';
import { mlpToModel, netOutputGradient, netToModel, randomInputs, randomMlp, rowRelativeError, zooNets } from './test-support.ts';

await initBackend();
const all = (n: number) => Array.from({ length: n }, (_, i) => i);

test('generic tfjs probe agrees with the exact fast path within float32 tolerance', async () => {
  const cases: Array<[HiddenActivation, boolean, ProbeLoss]> = [['relu', false, 'mse'], ['relu', true, 'bce'], ['sigmoid', false, 'mse'], ['linear', true, 'bce']];
  for (const [hidden, sigmoidOutput, loss] of cases) {
    const rng = createRng(21 + hidden.length);
    const d = 10, h = 16, n = 12;
    const mlp = randomMlp(rng, d, h, hidden, sigmoidOutput);
    const x = randomInputs(rng, n, d);
    const targets = Float32Array.from({ length: n }, (_, i) => i % 2);
    const ex = { x, n, targets, rows: [0, 3, 4, 11] };
    const eta = 0.01;
    const fast = await fastMlpProbe(mlp, ex, loss, eta);
    const model = mlpToModel(mlp);
    const generic = await genericProbe(model, ex, loss, eta, { batchSize: 5 });
    const err = rowRelativeError(generic.delta, fast.delta, ex.rows.length, n);
    assert.ok(err < 2e-4, `${hidden}/${sigmoidOutput}: relative error ${err}`);
    generic.lossSlope.forEach((v, r) => assert.ok(Math.abs(v - fast.lossSlope[r]) < 1e-5 * (1 + Math.abs(v))));
    model.dispose();
  }
});

test('generic probe works on a non-MLP model, decreases the loss at the probed example, and restores the weights', async () => {
  const rng = createRng(5);
  const d = 6, n = 7;
  const model = tf.sequential({
    layers: [
      tf.layers.dense({ inputShape: [d], units: 8, activation: 'tanh' }),
      tf.layers.dense({ units: 5, activation: 'relu' }),
      tf.layers.dense({ units: 1 }),
    ],
  });
  const before = model.getWeights().map((w) => Array.from(w.dataSync()));
  const x = randomInputs(rng, n, d);
  const targets = new Float32Array(n).fill(1);
  const tensors = tf.memory().numTensors;
  const result = await genericProbe(model, { x, n, targets, rows: all(n) }, 'mse', 'authors');
  // nothing is left behind (each step's weights are large at paper widths)
  assert.equal(tf.memory().numTensors, tensors);
  const rel = relativeSimilarity(result);
  for (let i = 0; i < n; i++) {
    assert.equal(rel[i * n + i], 1);
    // one small SGD step moves f(x_i) against l'
    assert.ok(result.delta[i * n + i] * result.lossSlope[i] < 0, `row ${i}`);
    assert.ok(result.eta[i] >= 1e-6);
  }
  assert.deepEqual(model.getWeights().map((w) => Array.from(w.dataSync())), before);
  model.dispose();
});

test('generic probe agrees with the exact fast path for every MLP-family model of the zoo (float32 tolerance)', async () => {
  const rng = createRng(17);
  const d = 6, h = 10, n = 8;
  const x = randomInputs(rng, n, d);
  const targets = Float32Array.from({ length: n }, (_, i) => i % 2);
  for (const [name, net] of Object.entries(zooNets(rng, d, h))) {
    const loss: ProbeLoss = net.sigmoidOutput ? 'bce' : 'mse';
    const ex = { x, n, targets, rows: [0, 5, 7], columns: [1, 2, 5, 6, 7] };
    const model = netToModel(net);
    const generic = await genericProbe(model, ex, loss, 0.01);
    const fast = (await fastNetProbe(net, ex, loss, 0.01)).result;
    const err = rowRelativeError(generic.delta, fast.delta, 3, 5);
    assert.ok(err < 5e-4, `${name}: relative error ${err}`);
    assert.ok(generic.self.every((v, r) => Math.abs(v - fast.self[r]) < 5e-4 * Math.abs(fast.self[r])), name);
    model.dispose();
  }
});

/** Flat float64 parameter vector of an MlpNet in netOutputGradient's order (layers' W, b, then a, c). */
function flatten(net: MlpNet): Float64Array {
  return Float64Array.from([...net.layers.flatMap((l) => [...l.W, ...l.b]), ...net.a, net.c]);
}

test('online mode: after one epoch the weights are those of plain SGD training (float64 fast path, and tfjs generic path)', async () => {
  const rng = createRng(19);
  const d = 4, h = 6, n = 10;
  const x = randomInputs(rng, n, d);
  const targets = Float32Array.from({ length: n }, (_, i) => (i % 3 === 0 ? 0 : 1));
  const order = [3, 0, 9, 4, 1, 7, 2, 8, 5, 6];
  for (const [name, net] of Object.entries(zooNets(rng, d, h))) {
    const loss: ProbeLoss = net.sigmoidOutput ? 'bce' : 'mse';
    const eta = 0.05;
    // plain SGD, batch size 1, in float64: w <- w - eta dL/dw with dL/dw = l' grad_w f
    const w = flatten(net);
    for (const i of order) {
      const probe = { ...net, layers: [] as MlpNet['layers'], a: new Float64Array(net.a.length), c: 0 };
      let q = 0;
      for (const l of net.layers) {
        const W = w.slice(q, q + l.W.length); q += l.W.length;
        const b = w.slice(q, q + l.b.length); q += l.b.length;
        probe.layers.push({ ...l, W, b });
      }
      probe.a = w.slice(q, q + net.a.length);
      probe.c = w[q + net.a.length];
      const g = netOutputGradient(probe, x, i * d);
      // the output is g's last entry (d f / d c) times ... recompute it directly: f = a.r + c through the model
      const f = definitionOutput(probe, x, i * d);
      const slope = loss === 'mse' ? 2 * (f - targets[i]) : (f - targets[i]) / (f * (1 - f));
      for (let p = 0; p < w.length; p++) w[p] -= eta * slope * g[p];
    }
    const online = await fastNetProbe(net, { x, n, targets, rows: order }, loss, eta, { mode: 'online' });
    const got = flatten(online.net);
    const err = got.reduce((m, v, p) => Math.max(m, Math.abs(v - w[p])), 0);
    assert.ok(err < 1e-12, `${name} float64: ${err}`);
    // every row is the change that step made: the outputs after the epoch are the start plus all the changes
    const start = Array.from({ length: n }, (_, j) => definitionOutput(net, x, j * d));
    const end = Array.from({ length: n }, (_, j) => definitionOutput(online.net, x, j * d));
    for (let j = 0; j < n; j++) {
      const sum = order.reduce((s, _, r) => s + online.result.delta[r * n + j], 0);
      assert.ok(Math.abs(start[j] + sum - end[j]) < 1e-12, `${name}: example ${j}`);
    }
    // tfjs: the generic online probe against TensorFlow.js's own SGD optimizer, one example per step
    const a = netToModel(net), b = netToModel(net);
    await genericProbe(a, { x, n, targets, rows: order }, loss, eta, { mode: 'online' });
    const optimizer = tf.train.sgd(eta);
    for (const i of order) {
      optimizer.minimize(() => {
        const p = (b.apply(tf.tensor2d(x.subarray(i * d, (i + 1) * d), [1, d])) as tf.Tensor).reshape([]);
        const y = targets[i];
        return (loss === 'mse' ? tf.square(tf.sub(p, y)) : tf.neg(tf.add(tf.mul(y, tf.log(p)), tf.mul(1 - y, tf.log(tf.sub(1, p)))))) as tf.Scalar;
      });
    }
    const wa = a.getWeights().flatMap((t) => Array.from(t.dataSync()));
    const wb = b.getWeights().flatMap((t) => Array.from(t.dataSync()));
    const errTf = wa.reduce((m, v, p) => Math.max(m, Math.abs(v - wb[p])), 0);
    assert.ok(errTf < 1e-5, `${name} tfjs: ${errTf}`);
    // and both agree with float64 SGD within float32 accuracy
    const errMix = Array.from(flatten(readMlpNet(a))).reduce((m, v, p) => Math.max(m, Math.abs(v - w[p])), 0);
    assert.ok(errMix < 1e-4, `${name} tfjs vs float64: ${errMix}`);
    a.dispose();
    b.dispose();
    optimizer.dispose();
  }
});

test('CNN (generic path): kernelized similarity tends to the NTK from per-example tfjs gradients as eta shrinks', async () => {
  const rng = createRng(23);
  const side = 6, n = 5, d = side * side;
  const model = tf.sequential({
    layers: [
      tf.layers.reshape({ inputShape: [d], targetShape: [side, side, 1] }),
      tf.layers.conv2d({ filters: 3, kernelSize: 3, activation: 'relu' }),
      tf.layers.maxPooling2d({ poolSize: 2 }),
      tf.layers.flatten(),
      tf.layers.dense({ units: 5, activation: 'relu' }),
      tf.layers.dense({ units: 1 }),
    ],
  });
  model.setWeights(model.getWeights().map((w) => tf.tensor(Float32Array.from({ length: w.size }, () => rng.uniform(-0.6, 0.6)), w.shape)));
  const x = randomInputs(rng, n, d);
  const vars = model.trainableWeights.map((w) => w.read() as tf.Variable);
  // (TensorFlow.js's wasm backend cannot differentiate convolutions: gradients on cpu)
  const grads = await onBackend('cpu', () => Array.from({ length: n }, (_, i) => {
    const { grads: g } = tf.variableGrads(() => (model.apply(tf.tensor2d(x.subarray(i * d, (i + 1) * d), [1, d])) as tf.Tensor).sum() as tf.Scalar, vars);
    return vars.flatMap((v) => Array.from(g[v.name].dataSync()));
  }));
  const K = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) K[i * n + j] = grads[i].reduce((s, v, q) => s + v * grads[j][q], 0);
  const ex = { x, n, targets: new Float32Array(n).fill(1), rows: all(n) };
  const errs: number[] = [];
  for (const eta of [1e-1, 1e-2, 1e-3]) errs.push(rowRelativeError(kernelizedSimilarity(await genericProbe(model, ex, 'mse', eta)), K, n, n));
  assert.ok(errs[2] < 1e-2 && errs[2] < errs[0] / 5, `errors ${errs}`);
  const rel = relativeSimilarity(await genericProbe(model, ex, 'mse', 1e-3));
  for (let i = 0; i < n; i++) assert.equal(rel[i * n + i], 1);
  model.dispose();
});
