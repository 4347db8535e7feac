import { test } from 'node:test';
import assert from 'node:assert/strict';
import { initBackend, ElasticityError } from '@elasticity/core';
import { tf } from '@elasticity/core/tf';
import { inspectDenseMlp, readDenseMlp } from './dense-mlp.ts';
import { mlpHiddenFeatures } from './hidden-features.ts';
import { sigmoid, sigmoidDifference } from './activation.ts';

await initBackend('cpu');

function inputs(n: number, d: number): Float32Array {
  return Float32Array.from({ length: n * d }, (_, i) => Math.sin(1.7 * i + 0.3));
}

function assertMatchesModel(model: tf.LayersModel, n: number, d: number, inputShape: number[]): void {
  const mlp = readDenseMlp(model);
  const x = inputs(n, d);
  const expected = (model.predict(tf.tensor(x, [n, ...inputShape])) as tf.Tensor).dataSync();
  const got = mlpHiddenFeatures(mlp, x, n).output;
  for (let i = 0; i < n; i++) assert.ok(Math.abs(got[i] - expected[i]) < 1e-5, `example ${i}: ${got[i]} vs ${expected[i]}`);
}

test('reads Dense(relu) -> Dense(1) and reproduces predict()', () => {
  const model = tf.sequential({ layers: [tf.layers.dense({ inputShape: [5], units: 7, activation: 'relu' }), tf.layers.dense({ units: 1 })] });
  const mlp = readDenseMlp(model);
  assert.equal(mlp.d, 5);
  assert.equal(mlp.h, 7);
  assert.equal(mlp.hidden, 'relu');
  assert.equal(mlp.sigmoidOutput, false);
  const kernel = model.layers[0].getWeights()[0].arraySync() as number[][];
  assert.equal(mlp.W[3 * 5 + 2], Math.fround(kernel[2][3]));
  assertMatchesModel(model, 6, 5, [5]);
});

test('reads sigmoid and linear hidden layers, sigmoid outputs, Flatten and Activation layers', () => {
  const a = tf.sequential({ layers: [tf.layers.dense({ inputShape: [4], units: 3, activation: 'sigmoid' }), tf.layers.dense({ units: 1, activation: 'sigmoid' })] });
  assert.equal(readDenseMlp(a).hidden, 'sigmoid');
  assert.equal(readDenseMlp(a).sigmoidOutput, true);
  assertMatchesModel(a, 5, 4, [4]);
  const b = tf.sequential({
    layers: [
      tf.layers.flatten({ inputShape: [1, 2, 3] }), tf.layers.dense({ units: 4 }), tf.layers.activation({ activation: 'relu' }),
      tf.layers.dense({ units: 1 }), tf.layers.activation({ activation: 'sigmoid' }),
    ],
  });
  const mb = readDenseMlp(b);
  assert.deepEqual([mb.d, mb.h, mb.hidden, mb.sigmoidOutput], [6, 4, 'relu', true]);
  assertMatchesModel(b, 5, 6, [1, 2, 3]);
  const c = tf.sequential({ layers: [tf.layers.dense({ inputShape: [3], units: 2 }), tf.layers.dense({ units: 1 })] });
  assert.equal(readDenseMlp(c).hidden, 'linear');
  assertMatchesModel(c, 4, 3, [3]);
});

test('any other architecture is a clear ElasticityError', () => {
  const cases: Array<[tf.LayersModel, RegExp]> = [
    [tf.sequential({ layers: [tf.layers.dense({ inputShape: [3], units: 2, activation: 'tanh' }), tf.layers.dense({ units: 1 })] }), /tanh/],
    [tf.sequential({ layers: [tf.layers.dense({ inputShape: [3], units: 2, activation: 'relu' }), tf.layers.dense({ units: 2 })] }), /Dense\(1\)/],
    [tf.sequential({ layers: [tf.layers.dense({ inputShape: [3], units: 2, activation: 'relu', useBias: false }), tf.layers.dense({ units: 1 })] }), /bias/],
    [tf.sequential({
      layers: [tf.layers.dense({ inputShape: [3], units: 2, activation: 'relu' }), tf.layers.dense({ units: 2, activation: 'relu' }), tf.layers.dense({ units: 1 })],
    }), /expected/],
    [tf.sequential({
      layers: [tf.layers.conv2d({ inputShape: [4, 4, 1], filters: 2, kernelSize: 3 }), tf.layers.flatten(), tf.layers.dense({ units: 1 })],
    }), /expected|Flatten/],
  ];
  for (const [model, pattern] of cases) {
    assert.ok('reason' in inspectDenseMlp(model));
    assert.throws(() => readDenseMlp(model, 'm/model.json'), (e: unknown) => e instanceof ElasticityError && pattern.test(e.message) && e.message.includes('m/model.json'));
  }
});

test('sigmoidDifference is exact where the plain difference cancels, and finite for huge steps', () => {
  for (const z of [-30, -3, -0.2, 0, 0.7, 4, 25]) {
    for (const t of [-2, -0.5, 0.3, 1.5]) {
      const direct = sigmoid(z + t) - sigmoid(z);
      assert.ok(Math.abs(sigmoidDifference(z, t) - direct) <= 1e-15 + 1e-12 * Math.abs(direct), `z=${z} t=${t}`);
    }
    // tiny step: first-order term t sigma'(z) with relative error O(t)
    const t = 1e-12;
    const slope = sigmoid(z) * sigmoid(-z);
    assert.ok(Math.abs(sigmoidDifference(z, t) / (t * slope) - 1) < 1e-9, `z=${z}`);
    assert.ok(Math.abs(sigmoidDifference(z, -t) / (-t * slope) - 1) < 1e-9, `z=${z}`);
  }
  assert.ok(Math.abs(sigmoidDifference(0, 1e4) - 0.5) < 1e-15);
  assert.ok(Math.abs(sigmoidDifference(0, -1e4) + 0.5) < 1e-15);
});
