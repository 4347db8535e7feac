import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRng, initBackend } from '@elasticity/core';
import { tf } from '@elasticity/core/tf';
import { createProducts, definitionOutput, mlpNetFeatures, onBackend, readoutWidth } from '@elasticity/mlp-engine';
import type { Rng } from '@elasticity/core';
import type { DenseMlp, HiddenActivation, MlpNet } from '@elasticity/mlp-engine';
import { genericNtk } from './generic-ntk.ts';
import { mlpNetNtk, mlpNtk } from './mlp-ntk.ts';
import { netToModel, randomNet, zooNets } from './test-support.ts';

await initBackend();

function randomMlp(rng: Rng, d: number, h: number, hidden: HiddenActivation, sigmoidOutput: boolean): DenseMlp {
  const u = (s: number) => rng.uniform(-s, s);
  return {
    d, h, hidden, sigmoidOutput,
    W: Float64Array.from({ length: h * d }, () => u(1 / Math.sqrt(d))),
    b: Float64Array.from({ length: h }, () => u(1 / Math.sqrt(d))),
    a: Float64Array.from({ length: h }, () => u(1)),
    c: u(1),
  };
}

/** The parameters of an MlpNet as one flat vector, and back. */
function flat(net: MlpNet): Float64Array {
  return Float64Array.from([...net.layers.flatMap((l) => [...l.W, ...l.b]), ...net.a, net.c]);
}
function unflat(net: MlpNet, theta: Float64Array): MlpNet {
  let q = 0;
  const take = (len: number) => theta.slice(q, (q += len));
  const layers = net.layers.map((l) => ({ ...l, W: take(l.W.length), b: take(l.b.length) }));
  return { ...net, layers, a: take(readoutWidth(net)), c: theta[q] };
}

/** Central finite-difference Jacobian (n x P) of the output w.r.t. every parameter, in float64. */
function jacobian(net: MlpNet, x: Float32Array, n: number): Float64Array[] {
  const theta = flat(net);
  const step = 1e-5;
  return Array.from({ length: n }, (_, i) => theta.map((v, q) => {
    const plus = new Float64Array(theta);
    const minus = new Float64Array(theta);
    plus[q] = v + step;
    minus[q] = v - step;
    return (definitionOutput(unflat(net, plus), x, i * net.d) - definitionOutput(unflat(net, minus), x, i * net.d)) / (2 * step);
  }));
}

function maxAbs(a: ArrayLike<number>): number {
  let m = 0;
  for (let q = 0; q < a.length; q++) m = Math.max(m, Math.abs(a[q]));
  return m;
}

test('closed-form NTK equals inner products of finite-difference Jacobians for every MLP-family model', async () => {
  const rng = createRng(5);
  const d = 4, h = 5, n = 5;
  const x = Float32Array.from({ length: n * d }, () => rng.uniform(-1, 1));
  const nets = { ...zooNets(rng, d, h), ResNetProb: randomNet(rng, d, [h, h], ['relu', 'relu'], { readout: 'sum', sigmoidOutput: true }), Sigmoid3: randomNet(rng, d, [h, 3], ['sigmoid', 'relu']) };
  for (const [name, net] of Object.entries(nets)) {
    const K = await mlpNetNtk(net, x, n);
    const J = jacobian(net, x, n);
    const scale = maxAbs(K);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) {
        const want = J[i].reduce((acc, v, q) => acc + v * J[j][q], 0);
        assert.ok(Math.abs(K[i * n + j] - want) < 1e-7 * scale, `${name} (${i},${j}): ${K[i * n + j]} vs ${want}`);
      }
    }
    // symmetric (exactly: the same products in both orders)
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) assert.equal(K[i * n + j], K[j * n + i]);
    // a row shard is those rows
    const rows = await mlpNetNtk(net, x, n, { rows: [3, 1] });
    assert.deepEqual(Array.from(rows), [...K.subarray(3 * n, 4 * n), ...K.subarray(n, 2 * n)]);
  }
});

test('the 2-layer mlpNtk agrees with the general closed form', async () => {
  for (const [hidden, sigmoidOutput] of [['relu', false], ['sigmoid', true], ['linear', true]] as const) {
    const rng = createRng(hidden.length);
    const d = 4, h = 6, n = 5;
    const mlp = randomMlp(rng, d, h, hidden, sigmoidOutput);
    const x = Float32Array.from({ length: n * d }, () => rng.uniform(-1, 1));
    const net: MlpNet = { d, layers: [{ inputs: d, units: h, W: mlp.W, b: mlp.b, activation: hidden }], readout: 'last', a: mlp.a, c: mlp.c, sigmoidOutput };
    const a = mlpNtk(mlp, x, n), b = await mlpNetNtk(net, x, n);
    a.forEach((v, q) => assert.ok(Math.abs(v - b[q]) <= 1e-12 * maxAbs(a)));
  }
});

test('generic NTK (per-example tfjs gradients, Gram in blocks) equals the closed form on every MLP-family model', async () => {
  const rng = createRng(9);
  const d = 6, h = 8, n = 7;
  const x = Float32Array.from({ length: n * d }, () => rng.uniform(-1, 1));
  for (const [name, net] of Object.entries(zooNets(rng, d, h))) {
    const want = await mlpNetNtk(net, x, n);
    const model = netToModel(net);
    const got = await genericNtk(model, x, n);
    const err = got.reduce((m, v, q) => Math.max(m, Math.abs(v - want[q])), 0) / maxAbs(want);
    assert.ok(err < 1e-5, `${name}: ${err}`);
    // bounded memory: blocks of 2 examples, gradients recomputed per row block; rows [5, 2]
    const P = model.countParams();
    const blocked = await genericNtk(model, x, n, { rows: [5, 2], memoryMb: (4 * 4 * P) / 2 ** 20 });
    assert.deepEqual(Array.from(blocked), [...got.subarray(5 * n, 6 * n), ...got.subarray(2 * n, 3 * n)]);
    model.dispose();
  }
});

test('float32 K-block products keep the closed-form NTK within 1e-6 of float64 (also with units off at every example, which the Grams skip)', async () => {
  const rng = createRng(12);
  const d = 50, h = 400, n = 20;
  const x = Float32Array.from({ length: n * d }, () => rng.uniform(-1, 1));
  const sparse = randomNet(rng, d, [h], ['relu']);
  for (let u = 0; u < 300; u++) sparse.layers[0].b[u] = -1e3;
  for (const net of [randomNet(rng, d, [h], ['relu']), randomNet(rng, d, [h, 60], ['relu', 'sigmoid']), sparse]) {
    const exact = await mlpNetNtk(net, x, n);
    const products = createProducts({ precision: 'float32', threads: 0, blockK: 128 });
    const fast = await mlpNetNtk(net, x, n, { products, features: await mlpNetFeatures(net, x, n, products, { backward: true }) });
    const err = fast.reduce((m, v, q) => Math.max(m, Math.abs(v - exact[q]) / Math.abs(exact[q])), 0);
    assert.ok(err < 1e-6 && err > 0, `relative error ${err}`);
  }
});

test('generic NTK of a CNN equals inner products of its per-example gradients', async () => {
  const rng = createRng(13);
  const side = 6, n = 4, d = side * side;
  const model = tf.sequential({
    layers: [
      tf.layers.reshape({ inputShape: [d], targetShape: [side, side, 1] }),
      tf.layers.conv2d({ filters: 2, kernelSize: 3, activation: 'relu' }),
      tf.layers.maxPooling2d({ poolSize: 2 }),
      tf.layers.flatten(),
      tf.layers.dense({ units: 1, activation: 'sigmoid' }),
    ],
  });
  model.setWeights(model.getWeights().map((w) => tf.tensor(Float32Array.from({ length: w.size }, () => rng.uniform(-0.5, 0.5)), w.shape)));
  const x = Float32Array.from({ length: n * d }, () => rng.uniform(-1, 1));
  const K = await genericNtk(model, x, n);
  // by hand: the gradient w.r.t. each weight tensor separately, on the cpu backend
  const vars = model.trainableWeights.map((w) => w.read() as tf.Variable);
  const g = await onBackend('cpu', () => Array.from({ length: n }, (_, i) => vars.map((v) => {
    const { grads } = tf.variableGrads(() => (model.apply(tf.tensor2d(x.subarray(i * d, (i + 1) * d), [1, d])) as tf.Tensor).sum() as tf.Scalar, [v]);
    return Array.from(grads[v.name].dataSync());
  })));
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      const want = g[i].reduce((s, gi, t) => s + gi.reduce((u, v, q) => u + v * g[j][t][q], 0), 0);
      assert.ok(Math.abs(K[i * n + j] - want) <= 1e-12 * Math.abs(want) + 1e-15, `(${i},${j})`);
    }
  }
  model.dispose();
});

test('the NTK from k-major features only (workers, a row shard) equals the NTK from row-major features', async () => {
  const rng = createRng(13);
  const d = 30, h = 500, n = 40;
  const x = Float32Array.from({ length: n * d }, () => rng.uniform(-1, 1));
  const products = createProducts({ precision: 'float32', threads: 2 });
  for (const net of [randomNet(rng, d, [h], ['relu']), randomNet(rng, d, [h], ['sigmoid'])]) {
    const features = await mlpNetFeatures(net, x, n, products, { backward: true });
    const lean = await mlpNetFeatures(net, x, n, products, { backward: true, rowMajor: false });
    // the readout layer's n x h float64 matrices are not made
    assert.ok(features.act[0] && features.back[0] && lean.kMajor?.[0]?.back);
    assert.equal(lean.act[0], undefined);
    assert.equal(lean.back[0], undefined);
    for (const rows of [undefined, [5, 6, 7, 8, 9, 10, 11]]) {
      const want = await mlpNetNtk(net, x, n, { products, features, rows });
      assert.deepEqual(await mlpNetNtk(net, x, n, { products, rows }), want);
      assert.deepEqual(await mlpNetNtk(net, x, n, { products, features: lean, rows }), want);
    }
  }
});
