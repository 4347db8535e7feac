import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createRng, initBackend, tf } from '@elasticity/core';
import { denseForward, matMulExplicitGrad } from './dense-forward.ts';
import { initPyTorchDefault } from './init.ts';
import { MODEL_ZOO } from './models/zoo.ts';
import { trainableVariables } from './sgd.ts';

before(async () => {
  await initBackend('auto');
});

function rand(rows: number, cols: number, seed: number): tf.Tensor2D {
  const rng = createRng(seed);
  return tf.tensor2d(Float32Array.from({ length: rows * cols }, () => rng.uniform(-1, 1)), [rows, cols]);
}

const close = (got: ArrayLike<number>, want: ArrayLike<number>, tol: number, what: string) => {
  assert.equal(got.length, want.length);
  for (let i = 0; i < got.length; i++) assert.ok(Math.abs(got[i] - want[i]) <= tol * (1 + Math.abs(want[i])), `${what}[${i}]: ${got[i]} vs ${want[i]}`);
};

describe('denseForward', () => {
  test('matMulExplicitGrad has the value and both gradients of tf.matMul', () => {
    tf.tidy(() => {
      const a = rand(5, 7, 1);
      const b = rand(7, 3, 2);
      const w = rand(5, 3, 3); // sum(w * (a @ b)) makes dy non-uniform
      const mine = tf.grads((p: tf.Tensor, q: tf.Tensor) => tf.sum(tf.mul(w, matMulExplicitGrad(p, q))))([a, b]);
      const ref = tf.grads((p: tf.Tensor, q: tf.Tensor) => tf.sum(tf.mul(w, tf.matMul(p as tf.Tensor2D, q as tf.Tensor2D))))([a, b]);
      close(matMulExplicitGrad(a, b).dataSync(), tf.matMul(a, b).dataSync(), 1e-6, 'value');
      close(mine[0].dataSync(), ref[0].dataSync(), 1e-6, 'da');
      close(mine[1].dataSync(), ref[1].dataSync(), 1e-6, 'db');
    });
  });

  for (const spec of MODEL_ZOO.values()) {
    test(`${spec.name}: same outputs and weight gradients as model.apply`, () => {
      const model = spec.build({ inputShape: [6], width: 9 });
      initPyTorchDefault(model, 2);
      const forward = denseForward(model);
      assert.ok(forward, 'dense-only models get the fast forward');
      const vars = trainableVariables(model);
      tf.tidy(() => {
        const x = rand(4, 6, 5);
        const w = rand(4, 1, 6);
        close(forward(x).dataSync(), (model.apply(x) as tf.Tensor).dataSync(), 1e-6, 'output');
        const mine = tf.variableGrads(() => tf.sum(tf.mul(w, forward(x))), vars).grads;
        const ref = tf.variableGrads(() => tf.sum(tf.mul(w, model.apply(x) as tf.Tensor)), vars).grads;
        for (const v of vars) close(mine[v.name].dataSync(), ref[v.name].dataSync(), 1e-5, v.name);
      });
      model.dispose();
    });
  }

  test('a model with a non-Dense layer gets no fast forward (training falls back to model.apply)', () => {
    const model = tf.sequential({ layers: [tf.layers.flatten({ inputShape: [2, 3] }), tf.layers.dense({ units: 1 })] });
    assert.equal(denseForward(model), undefined);
    model.dispose();
  });
});
