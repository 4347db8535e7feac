import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRng, initBackend } from '@elasticity/core';
import { createProducts, mlpNetFeatures, mlpNetFromDense } from '@elasticity/mlp-engine';
import type { DenseMlp, HiddenActivation } from '@elasticity/mlp-engine';
import { fastMlpProbe, fastNetProbe } from './fast-mlp-probe.ts';
import { layerwiseNetProbe } from './layerwise-probe.ts';
import { matrixNetProbe } from './matrix-probe.ts';
import { referenceMlpProbe, referenceNetProbe } from './reference-probe.ts';
import { kernelizedSimilarity, relativeSimilarity } from './probe-result.ts';
import type { ProbeLoss } from './probe-loss.ts';
import { forward64, netGradientNtk, randomInputs, randomMlp, randomNet, rowRelativeError, zooNets } from './test-support.ts';

await initBackend();
const all = (n: number) => Array.from({ length: n }, (_, i) => i);

/** Hidden units whose ReLU state differs between h(x_j) at w and at w+ (w+ from the step at x_i). */
function countFlips(mlp: DenseMlp, x: Float32Array, n: number, rows: number[], eta: number, loss: ProbeLoss, targets: Float32Array): number {
  let flips = 0;
  for (const i of rows) {
    const fi = forward64(mlp, x, i * mlp.d);
    const slope = loss === 'mse' ? 2 * (fi.out - targets[i]) : (fi.out - targets[i]) / (fi.out * (1 - fi.out));
    const e = eta * slope * (mlp.sigmoidOutput ? fi.out * (1 - fi.out) : 1);
    for (let j = 0; j < n; j++) {
      const hj = forward64(mlp, x, j * mlp.d).h;
      let g = 1;
      for (let p = 0; p < mlp.d; p++) g += x[i * mlp.d + p] * x[j * mlp.d + p];
      for (let k = 0; k < mlp.h; k++) {
        const u = mlp.a[k] * (fi.h[k] > 0 ? 1 : 0);
        if ((hj[k] > 0) !== (hj[k] - e * g * u > 0)) flips++;
      }
    }
  }
  return flips;
}

const cases: Array<[HiddenActivation, boolean, ProbeLoss]> = [
  ['relu', false, 'mse'], ['relu', true, 'bce'], ['relu', true, 'mse'],
  ['linear', false, 'mse'], ['linear', true, 'bce'],
  ['sigmoid', false, 'mse'], ['sigmoid', true, 'bce'],
];

test('2-layer fast probe equals the float64 reference probe to 1e-9 (incl. ReLU units that flip)', async () => {
  for (const [hidden, sigmoidOutput, loss] of cases) {
    for (const seed of [1, 2]) {
      const rng = createRng(seed * 100 + hidden.length);
      const d = 6, h = 9, n = 8;
      const mlp = randomMlp(rng, d, h, hidden, sigmoidOutput);
      const x = randomInputs(rng, n, d);
      const targets = Float32Array.from({ length: n }, (_, i) => i % 3 === 0 ? 0 : 1);
      const ex = { x, n, targets, rows: all(n) };
      // a large step makes many ReLU units change state
      const eta = sigmoidOutput ? 3 : 0.3;
      const fast = await fastMlpProbe(mlp, ex, loss, eta);
      const ref = referenceMlpProbe(mlp, ex, loss, eta);
      const err = rowRelativeError(fast.delta, ref.delta, n, n);
      assert.ok(err < 1e-9, `${hidden}/${sigmoidOutput}/${loss} seed ${seed}: relative error ${err}`);
      fast.lossSlope.forEach((v, r) => assert.ok(Math.abs(v - ref.lossSlope[r]) <= 1e-12 * Math.abs(v), `l' of row ${r}`));
      if (hidden === 'relu') assert.ok(countFlips(mlp, x, n, ex.rows, eta, loss, targets) > 10, 'the test must exercise sign flips');
    }
  }
});

test('fast probe equals the float64 reference for every MLP-family model of the zoo, reset and online, any probed/measured sets', async () => {
  const rng = createRng(41);
  const d = 5, h = 7, n = 9;
  const x = randomInputs(rng, n, d);
  const targets = Float32Array.from({ length: n }, (_, i) => (i % 2 === 0 ? 1 : 0));
  for (const [name, net] of Object.entries(zooNets(rng, d, h))) {
    const loss: ProbeLoss = net.sigmoidOutput ? 'bce' : 'mse';
    for (const ex of [{ x, n, targets, rows: all(n) }, { x, n, targets, rows: [7, 1, 4], columns: [0, 2, 3, 4, 8] }]) {
      for (const mode of ['reset', 'online'] as const) {
        // large steps (many ReLU units change state), smaller when they accumulate
        const eta = (net.sigmoidOutput ? 2 : 0.2) / (mode === 'online' ? 4 : 1);
        const fast = await fastNetProbe(net, ex, loss, eta, { mode });
        const ref = referenceNetProbe(net, ex, loss, eta, mode);
        const cols = ex.columns?.length ?? n;
        const err = rowRelativeError(fast.result.delta, ref.result.delta, ex.rows.length, cols);
        assert.ok(err < 1e-9, `${name} ${mode}: relative error ${err}`);
        fast.result.self.forEach((v, r) => assert.ok(Math.abs(v - ref.result.self[r]) <= 1e-9 * Math.abs(ref.result.self[r]), `${name} ${mode} self ${r}`));
        if (mode === 'online') {
          // the weights after the epoch
          assert.ok(Math.abs(fast.net.c - ref.net.c) < 1e-12 && fast.net.a.every((v, k) => Math.abs(v - ref.net.a[k]) < 1e-12), name);
        }
      }
    }
  }
});

test('the matrix form and the layer-by-layer form agree; float32 K-block products stay within 1e-6 of float64', async () => {
  const rng = createRng(43);
  const d = 40, h = 300, n = 30;
  const x = randomInputs(rng, n, d);
  const targets = new Float32Array(n).fill(1);
  for (const hidden of ['relu', 'linear'] as const) {
    const net = randomNet(rng, d, [h], [hidden]);
    const ex = { x, n, targets, rows: all(n) };
    // (1e-3: units change state, and float32 features' list of entries near 0 does not cover the steps; 1e-6: it does)
    for (const eta of [1e-3, 1e-6]) {
      const matrix = (await fastNetProbe(net, ex, 'mse', eta)).result;
      const layerwise = (await layerwiseNetProbe(net, ex, 'mse', eta)).result;
      assert.ok(rowRelativeError(matrix.delta, layerwise.delta, n, n) < 1e-11, hidden);
      const f32 = (await fastNetProbe(net, ex, 'mse', eta, { products: createProducts({ precision: 'float32', threads: 0 }) })).result;
      const err = rowRelativeError(f32.delta, layerwise.delta, n, n);
      assert.ok(err < 1e-6 && err > 0, `${hidden} eta ${eta}: float32 products error ${err}`);
    }
  }
});

test('kernelized similarity tends to the empirical NTK for every MLP-family model, with error ~ linear in eta (float64)', async () => {
  const rng = createRng(7);
  const d = 5, h = 7, n = 6;
  const x = randomInputs(rng, n, d);
  const ex = { x, n, targets: new Float32Array(n).fill(1), rows: all(n) };
  for (const [name, net] of Object.entries(zooNets(rng, d, h))) {
    const loss: ProbeLoss = net.sigmoidOutput ? 'bce' : 'mse';
    const K = netGradientNtk(net, x, n);
    const errs: number[] = [];
    for (const eta of [1e-3, 1e-4, 1e-5]) errs.push(rowRelativeError(kernelizedSimilarity((await fastNetProbe(net, ex, loss, eta)).result), K, n, n));
    assert.ok(errs[2] < 1e-4, `${name}: error ${errs[2]} at eta 1e-5`);
    for (let t = 1; t < errs.length; t++) {
      const ratio = errs[t - 1] / errs[t];
      // the 1-layer linear model's kernelized similarity is exactly its NTK at any eta
      if (name === 'MLPLinear1Layer') assert.ok(errs[t] < 1e-12, `${name}: ${errs}`);
      else assert.ok(ratio > 5 && ratio < 20, `${name}: error ratio ${ratio} for a 10x smaller eta (${errs})`);
    }
  }
});

test('linear hidden layer: kernelized similarity has the closed form K_ij - e_i G~_ij (a . h_i)', async () => {
  const rng = createRng(11);
  const d = 4, h = 5, n = 7;
  const mlp = randomMlp(rng, d, h, 'linear', false);
  const x = randomInputs(rng, n, d);
  const targets = new Float32Array(n).fill(1);
  const eta = 0.05;
  const got = kernelizedSimilarity(await fastMlpProbe(mlp, { x, n, targets, rows: all(n) }, 'mse', eta));
  const aa = mlp.a.reduce((acc, v) => acc + v * v, 0);
  for (let i = 0; i < n; i++) {
    const fi = forward64(mlp, x, i * d);
    const e = eta * 2 * (fi.out - 1);
    const ah = fi.h.reduce((acc, v, k) => acc + v * mlp.a[k], 0);
    for (let j = 0; j < n; j++) {
      const hj = forward64(mlp, x, j * d).h;
      let g = 1;
      for (let p = 0; p < d; p++) g += x[i * d + p] * x[j * d + p];
      const want = fi.h.reduce((acc, v, k) => acc + v * hj[k], 0) + 1 + g * aa - e * g * ah;
      assert.ok(Math.abs(got[i * n + j] - want) < 1e-12 * (1 + Math.abs(want)), `(${i},${j}): ${got[i * n + j]} vs ${want}`);
    }
  }
  // the 1-layer linear model: S_ker = x_i.x_j + 1 exactly, whatever eta
  const one = randomNet(rng, d, [], []);
  const ker1 = kernelizedSimilarity((await fastNetProbe(one, { x, n, targets, rows: all(n) }, 'mse', 0.7)).result);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      let g = 1;
      for (let p = 0; p < d; p++) g += x[i * d + p] * x[j * d + p];
      assert.ok(Math.abs(ker1[i * n + j] - g) < 1e-12 * Math.abs(g) + 1e-14);
    }
  }
});

test('relative similarity of the probed example with itself is 1, and a shard equals those rows of the full probe', async () => {
  const rng = createRng(3);
  const d = 5, h = 8, n = 9;
  const mlp = randomMlp(rng, d, h, 'relu', true);
  const x = randomInputs(rng, n, d);
  const targets = new Float32Array(n).fill(1);
  const full = await fastMlpProbe(mlp, { x, n, targets, rows: all(n) }, 'bce', 'authors');
  const rel = relativeSimilarity(full);
  for (let i = 0; i < n; i++) assert.equal(rel[i * n + i], 1);
  const shardRows = [3, 4, 5, 6];
  const shard = await fastMlpProbe(mlp, { x, n, targets, rows: shardRows }, 'bce', 'authors');
  assert.deepEqual(Array.from(shard.delta), Array.from(full.delta.subarray(3 * n, 7 * n)));
  assert.deepEqual(Array.from(shard.eta), Array.from(full.eta.subarray(3, 7)));
});

test('progress: the batched path reports its three phases in order, the layer-by-layer path one call per probed row', async () => {
  const rng = createRng(5);
  const d = 4, h = 6, n = 7;
  const x = randomInputs(rng, n, d);
  const targets = new Float32Array(n).fill(1);
  const ex = { x, n, targets, rows: [0, 2, 3, 6] };
  for (const activation of ['relu', 'sigmoid'] as const) {
    const net = mlpNetFromDense(randomMlp(rng, d, h, activation, false));
    const phases: Array<[string, number]> = [];
    let rowCalls = 0;
    await fastNetProbe(net, ex, 'mse', 'authors', { onRow: () => rowCalls++, onPhase: (p, s) => phases.push([p, s]) });
    if (activation === 'relu') {
      assert.deepEqual(phases.map(([p]) => p), ['features', 'steps', 'products']);
      for (let q = 1; q < phases.length; q++) assert.ok(phases[q][1] >= phases[q - 1][1]);
      assert.equal(rowCalls, 0);
    } else {
      assert.deepEqual(phases, []);
      assert.equal(rowCalls, ex.rows.length);
    }
  }
});

test('float32 features kept k-major only (workers, a probed subset, steps that flip units and leave the near list) agree with row-major features and with float64', async () => {
  const rng = createRng(44);
  const d = 40, h = 300, n = 36;
  const x = randomInputs(rng, n, d);
  const targets = Float32Array.from({ length: n }, (_, j) => j % 2);
  const mlp = randomMlp(rng, d, h, 'relu', false);
  // units 0..149 off at every example: the Grams skip them
  for (let u = 0; u < 150; u++) mlp.b[u] = -1e3;
  const net = mlpNetFromDense(mlp);
  const rows = [7, 0, 35, 12, 12, 20, 3];
  const ex = { x, n, targets, rows };
  const products = createProducts({ precision: 'float32', threads: 2 });
  for (const eta of [1e-6, 3e-3]) {
    // (3e-3: units change state, and some examples' steps reach past the listed entries near 0)
    if (eta > 1e-4) assert.ok(countFlips(mlp, x, n, rows, eta, 'mse', targets) > 0);
    const exact = (await layerwiseNetProbe(net, ex, 'mse', eta)).result;
    const lean = await matrixNetProbe(net, ex, 'mse', eta, { products });
    const features = await mlpNetFeatures(net, x, n, products, { masks: true });
    assert.ok(features.pre[0] && features.kMajor?.[0]?.mask);
    const rowMajor = await matrixNetProbe(net, ex, 'mse', eta, { products, features });
    const err = rowRelativeError(lean.delta, exact.delta, rows.length, n);
    assert.ok(err < 1e-6 && err > 0, `eta ${eta}: k-major features error ${err}`);
    assert.ok(rowRelativeError(lean.delta, rowMajor.delta, rows.length, n) < 1e-7, `eta ${eta}: k-major vs row-major features`);
  }
});
