/**
 * Gradients of every zoo model, on the cpu backend (which has every
 * TensorFlow.js gradient kernel): the fast forward's gradients equal
 * TensorFlow.js's own (model.apply), central finite differences of the
 * loss confirm them, and one SGD step of trainModel equals w - lr * grad.
 */
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { initBackend } from '@elasticity/core';
import { tf } from '@elasticity/core/tf';
import { fastForward } from './fast-forward.ts';
import { lossFunction } from './losses.ts';
import { trainableVariables } from './sgd.ts';
import { trainModel } from './train.ts';
import { allSpecs, smallCase } from './testing/zoo-cases.ts';

before(async () => {
  await initBackend('cpu');
});

const n = 6;

for (const spec of allSpecs()) {
  describe(`${spec.name} gradients (${spec.defaultLoss})`, () => {
    test('fast forward gradients equal model.apply gradients; finite differences agree', () => {
      const { model, d, x, y } = smallCase(spec, n, 3);
      const vars = trainableVariables(model);
      const lossOf = lossFunction(spec.defaultLoss);
      const xb = tf.tensor2d(x, [n, d]);
      const yb = tf.tensor2d(y, [n, 1]);
      const forward = fastForward(model)!;
      const mine = tf.variableGrads(() => lossOf(forward(xb), yb), vars).grads;
      const ref = tf.variableGrads(() => lossOf(model.apply(xb) as tf.Tensor, yb), vars).grads;
      for (const v of vars) {
        const a = Float32Array.from(mine[v.name].dataSync());
        const b = Float32Array.from(ref[v.name].dataSync());
        const scale = b.reduce((m, g) => Math.max(m, Math.abs(g)), 0);
        a.forEach((g, k) => assert.ok(Math.abs(g - b[k]) <= 1e-5 * (scale + 1e-3), `${v.name}[${k}]: ${g} vs ${b[k]}`));
      }
      // central differences of the float32 loss on the largest-gradient entry of each variable
      const lossAt = () => tf.tidy(() => lossOf(model.apply(xb) as tf.Tensor, yb).dataSync()[0]);
      for (const v of vars) {
        const g = Float32Array.from(ref[v.name].dataSync());
        const k = g.reduce((best: number, val: number, i: number) => (Math.abs(val) > Math.abs(g[best]) ? i : best), 0);
        if (Math.abs(g[k]) < 1e-4) continue;
        const values = v.dataSync().slice();
        const shifted = (delta: number) => {
          const copy = values.slice();
          copy[k] += delta;
          v.assign(tf.tensor(copy, v.shape));
          return lossAt();
        };
        // a ReLU kink within h of the point spoils large h, float32 rounding small h: the best of three must agree
        const fds = [1e-2, 1e-3, 1e-4].map((h) => (shifted(h) - shifted(-h)) / (2 * h));
        v.assign(tf.tensor(values, v.shape));
        const err = Math.min(...fds.map((fd) => Math.abs(fd - g[k])));
        assert.ok(err <= 0.02 * Math.abs(g[k]) + 1e-4, `${v.name}[${k}]: fd ${fds} vs ${g[k]}`);
      }
      tf.dispose([xb, yb, ...Object.values(mine), ...Object.values(ref)]);
      model.dispose();
    });

    test('one full-batch step of trainModel equals w - lr * grad (grad from model.apply)', async () => {
      const { model, d, x, y } = smallCase(spec, n, 5);
      const lr = 0.1;
      const before = model.getWeights().map((t) => Float64Array.from(t.dataSync()));
      let grads: Float64Array[] = [];
      tf.tidy(() => {
        const { grads: g } = tf.variableGrads(() => lossFunction(spec.defaultLoss)(model.apply(tf.tensor2d(x, [n, d])) as tf.Tensor, tf.tensor2d(y, [n, 1])), trainableVariables(model));
        grads = trainableVariables(model).map((v) => Float64Array.from(g[v.name].dataSync()));
      });
      await trainModel(model, { x, d, y }, { loss: spec.defaultLoss, lr, batch: n, epochs: 1, seed: 0 });
      const after = model.getWeights().map((t) => t.dataSync());
      before.forEach((w, i) => w.forEach((v, k) => {
        const expected = v - lr * grads[i][k];
        assert.ok(Math.abs(after[i][k] - expected) <= 1e-5 * (1 + Math.abs(expected)), `weight ${i}[${k}]: ${after[i][k]} vs ${expected}`);
      }));
      model.dispose();
    });
  });
}
