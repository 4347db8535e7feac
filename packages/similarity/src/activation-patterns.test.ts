import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ElasticityError, initBackend } from '@elasticity/core';
import { tf } from '@elasticity/core/tf';
import { patternCosine, reluLayers, reluPatterns } from './activation-patterns.ts';

/** Dense(3, relu) on 2 inputs with W rows (1, 0), (0, 1), (1, 1) and biases (0, 0, -1.5), then Dense(1). */
function handModel(): tf.LayersModel {
  const model = tf.sequential();
  model.add(tf.layers.dense({ inputShape: [2], units: 3, activation: 'relu' }));
  model.add(tf.layers.dense({ units: 1 }));
  // tfjs kernels are (in x out).
  model.layers[0].setWeights([tf.tensor2d([[1, 0, 1], [0, 1, 1]]), tf.tensor1d([0, 0, -1.5])]);
  return model;
}

test('ReLU patterns and their cosine similarity by hand', async () => {
  await initBackend('cpu');
  const model = handModel();
  // h = (x1, x2, x1 + x2 - 1.5): (1, 0) -> 100; (0, 1) -> 010; (1, 1) -> 111; (2, -0.2) -> 101; (-1, -1) -> 000.
  const x = Float32Array.of(1, 0, 0, 1, 1, 1, 2, -0.2, -1, -1);
  const p = reluPatterns(model, x, 5, 2, {}, 2);
  assert.equal(p.units, 3);
  assert.equal(p.words, 1);
  assert.deepEqual(Array.from(p.bits), [0b001, 0b010, 0b111, 0b101, 0]);
  assert.deepEqual(Array.from(p.active), [1, 1, 3, 2, 0]);
  const s = patternCosine(p);
  const n = 5;
  const at = (i: number, j: number) => s[i * n + j];
  // 100.010 = 0; 100.111 = 1 / sqrt(3); 100.101 = 1 / sqrt(2); 111.101 = 2 / sqrt(6); 010.101 = 0.
  const expected: Array<[number, number, number]> = [
    [0, 1, 0], [0, 2, 1 / Math.sqrt(3)], [0, 3, 1 / Math.sqrt(2)], [2, 3, 2 / Math.sqrt(6)], [1, 3, 0], [1, 2, 1 / Math.sqrt(3)],
  ];
  for (const [i, j, v] of expected) {
    assert.ok(Math.abs(at(i, j) - v) < 1e-15, `(${i}, ${j})`);
    assert.equal(at(j, i), at(i, j));
  }
  // Unit diagonal; the example with no active unit is similar only to itself.
  for (let i = 0; i < n; i++) assert.equal(at(i, i), 1);
  for (let j = 0; j < 4; j++) assert.equal(at(4, j), 0);
  model.dispose();
});

test('patterns concatenate every ReLU layer (Dense relu and Activation relu), packed across word boundaries', async () => {
  await initBackend('cpu');
  const model = tf.sequential();
  model.add(tf.layers.dense({ inputShape: [4], units: 20, activation: 'relu', kernelInitializer: 'ones', biasInitializer: 'zeros' }));
  model.add(tf.layers.dense({ units: 30, kernelInitializer: 'ones', biasInitializer: 'zeros' }));
  model.add(tf.layers.activation({ activation: 'relu' }));
  model.add(tf.layers.dense({ units: 1 }));
  assert.equal(reluLayers(model).length, 2);
  // Input of positive sum: all 50 units on; negative sum: all off.
  const p = reluPatterns(model, Float32Array.of(1, 1, 1, 1, -1, -1, -1, -1), 2, 4);
  assert.equal(p.units, 50);
  assert.equal(p.words, 2);
  assert.deepEqual(Array.from(p.active), [50, 0]);
  assert.deepEqual(Array.from(p.bits), [0xffffffff, (1 << 18) - 1, 0, 0]);
  model.dispose();
});

test('a model without ReLU layers, or with another input width, is a clear error', async () => {
  await initBackend('cpu');
  const linear = tf.sequential({ layers: [tf.layers.dense({ inputShape: [2], units: 3 }), tf.layers.dense({ units: 1 })] });
  assert.throws(() => reluPatterns(linear, Float32Array.of(1, 2), 1, 2, { file: 'm.json' }),
    (e: unknown) => e instanceof ElasticityError && /^m\.json: modelTopology: the model has no ReLU layer/.test(e.message));
  const model = handModel();
  assert.throws(() => reluPatterns(model, Float32Array.of(1, 2, 3), 1, 3, { file: 'm.json' }),
    (e: unknown) => e instanceof ElasticityError && /takes 2 values, the examples have 3/.test(e.message));
  linear.dispose();
  model.dispose();
});
