import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { initBackend } from '@elasticity/core';
import { tf } from '@elasticity/core/tf';
import { BCE_CLIP_HIGH, BCE_CLIP_LOW, bceLoss, bceLossJs, lossDerivativeJs, mseLoss, mseLossJs } from './losses.ts';

before(async () => {
  await initBackend('auto');
});

const col = (v: number[]) => tf.tensor2d(v, [v.length, 1]);
const near = (a: number, b: number, tol: number, what = '') => assert.ok(Math.abs(a - b) <= tol, `${what} ${a} vs ${b}`);

describe('losses', () => {
  test('MSE is the batch mean of (f - y)^2 (PyTorch MSELoss)', () => {
    const f = [0.5, 2, -1];
    const y = [1, 0, 0];
    const expected = (0.25 + 4 + 1) / 3;
    assert.equal(mseLossJs(f, y), expected);
    near(tf.tidy(() => mseLoss(col(f), col(y)).dataSync()[0]), expected, 1e-6);
  });

  test('BCE is the batch mean of -(y log p + (1-y) log(1-p))', () => {
    const p = [0.9, 0.2, 0.6];
    const y = [1, 0, 0];
    const expected = -(Math.log(0.9) + Math.log(0.8) + Math.log(0.4)) / 3;
    near(bceLossJs(p, y), expected, 1e-15);
    near(tf.tidy(() => bceLoss(col(p), col(y)).dataSync()[0]), expected, 1e-6);
  });

  test('BCE clips p to [1e-7, 1 - 1e-7] (float32 ends): a certain wrong answer costs ~16, not Inf', () => {
    const low = Math.fround(1e-7);
    const high = Math.fround(1 - 1e-7);
    assert.equal(BCE_CLIP_LOW, low);
    assert.equal(BCE_CLIP_HIGH, 1 - 2 ** -23);
    const expected = (-Math.log(low) - Math.log(1 - high)) / 2;
    near(bceLossJs([0, 1], [1, 0]), expected, 1e-6);
    near(tf.tidy(() => bceLoss(col([0, 1]), col([1, 0])).dataSync()[0]), expected, 1e-3);
    const grad = tf.tidy(() => tf.grad((p: tf.Tensor) => bceLoss(p, col([1, 0])))(col([0, 1])).dataSync());
    assert.ok(grad.every(Number.isFinite));
    assert.ok(grad[0] < -1e5 && grad[1] > 1e5, `saturated wrong outputs still push back: ${grad}`);
  });

  test('gradients w.r.t. the output: MSE 2(f-y)/n, BCE (p-y)/(p(1-p))/n', () => {
    const out = [0.3, 0.8, 0.55, 0.1];
    const y = [1, 0, 0, 1];
    const n = out.length;
    const gMse = tf.tidy(() => tf.grad((f: tf.Tensor) => mseLoss(f, col(y)))(col(out)).dataSync());
    const gBce = tf.tidy(() => tf.grad((p: tf.Tensor) => bceLoss(p, col(y)))(col(out)).dataSync());
    out.forEach((o, i) => {
      near(gMse[i], 2 * (o - y[i]) / n, 1e-6, 'mse');
      near(gBce[i], (o - y[i]) / (o * (1 - o)) / n, 1e-5, 'bce');
    });
  });

  test("lossDerivativeJs is the central difference of one example's loss", () => {
    const h = 1e-6;
    for (const [out, y] of [[0.3, 1], [0.8, 0], [0.55, 0], [-0.4, 1]]) {
      const fd = (mseLossJs([out + h], [y]) - mseLossJs([out - h], [y])) / (2 * h);
      near(lossDerivativeJs('mse', out, y), fd, 1e-7, 'mse');
      if (out > 0) {
        const fdb = (bceLossJs([out + h], [y]) - bceLossJs([out - h], [y])) / (2 * h);
        near(lossDerivativeJs('bce', out, y), fdb, 1e-6, 'bce');
      }
    }
  });
});
