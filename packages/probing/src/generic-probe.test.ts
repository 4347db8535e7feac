import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRng, initBackend, tf } from '@elasticity/core';
import type { HiddenActivation } from '@elasticity/core';
import { fastMlpProbe } from './fast-mlp-probe.ts';
import { genericProbe } from './generic-probe.ts';
import { relativeSimilarity } from './probe-result.ts';
import type { ProbeLoss } from './probe-loss.ts';
import { mlpToModel, randomInputs, randomMlp, rowRelativeError } from './test-support.ts';

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
    const fast = fastMlpProbe(mlp, ex, loss, eta);
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
  const result = await genericProbe(model, { x, n, targets, rows: all(n) }, 'mse', 'authors');
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
