import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createRng, initBackend } from '@elasticity/core';
import { tf } from '@elasticity/core/tf';
import { conv2dFilterGrad, fastForward, matMulExplicitGrad } from './fast-forward.ts';
import { trainableVariables } from './sgd.ts';
import { allSpecs, smallCase } from './testing/zoo-cases.ts';

before(async () => {
  await initBackend('auto');
});

function rand(shape: number[], seed: number): tf.Tensor {
  const rng = createRng(seed);
  return tf.tensor(Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => rng.uniform(-1, 1)), shape);
}

const close = (got: ArrayLike<number>, want: ArrayLike<number>, tol: number, what: string) => {
  assert.equal(got.length, want.length);
  for (let i = 0; i < got.length; i++) assert.ok(Math.abs(got[i] - want[i]) <= tol * (1 + Math.abs(want[i])), `${what}[${i}]: ${got[i]} vs ${want[i]}`);
};

describe('fastForward', () => {
  test('matMulExplicitGrad has the value and both gradients of tf.matMul', () => {
    tf.tidy(() => {
      const a = rand([5, 7], 1) as tf.Tensor2D;
      const b = rand([7, 3], 2) as tf.Tensor2D;
      const w = rand([5, 3], 3); // sum(w * (a @ b)) makes dy non-uniform
      const mine = tf.grads((p: tf.Tensor, q: tf.Tensor) => tf.sum(tf.mul(w, matMulExplicitGrad(p, q))))([a, b]);
      const ref = tf.grads((p: tf.Tensor, q: tf.Tensor) => tf.sum(tf.mul(w, tf.matMul(p as tf.Tensor2D, q as tf.Tensor2D))))([a, b]);
      close(matMulExplicitGrad(a, b).dataSync(), tf.matMul(a, b).dataSync(), 1e-6, 'value');
      close(mine[0].dataSync(), ref[0].dataSync(), 1e-6, 'da');
      close(mine[1].dataSync(), ref[1].dataSync(), 1e-6, 'db');
    });
  });

  test('conv2dFilterGrad is dk[a,b,i,o] = sum over n,p,q of x[n,p+a,q+b,i] dy[n,p,q,o], summed by hand', () => {
    const [N, Hh, W, Cin, K, Cout] = [2, 6, 5, 3, 3, 4];
    const x = rand([N, Hh, W, Cin], 4) as tf.Tensor4D;
    const dy = rand([N, Hh - K + 1, W - K + 1, Cout], 5) as tf.Tensor4D;
    const got = tf.tidy(() => conv2dFilterGrad(x, dy).dataSync());
    const xs = x.dataSync();
    const ds = dy.dataSync();
    const [Ho, Wo] = [Hh - K + 1, W - K + 1];
    const expected: number[] = [];
    for (let a = 0; a < K; a++) for (let b = 0; b < K; b++) for (let i = 0; i < Cin; i++) for (let o = 0; o < Cout; o++) {
      let s = 0;
      for (let n = 0; n < N; n++) for (let p = 0; p < Ho; p++) for (let q = 0; q < Wo; q++) {
        s += xs[((n * Hh + p + a) * W + q + b) * Cin + i] * ds[((n * Ho + p) * Wo + q) * Cout + o];
      }
      expected.push(s);
    }
    close(got, expected, 1e-5, 'dk');
    tf.dispose([x, dy]);
  });

  for (const spec of allSpecs()) {
    test(`${spec.name}: same outputs as model.apply, and every variable gets a finite gradient`, () => {
      const { model, d, x } = smallCase(spec, 4, 2);
      const forward = fastForward(model);
      assert.ok(forward, 'every zoo model gets the fast forward');
      const vars = trainableVariables(model);
      tf.tidy(() => {
        const xb = tf.tensor2d(x, [4, d]);
        close(forward(xb).dataSync(), (model.apply(xb) as tf.Tensor).dataSync(), 1e-5, 'output');
        const w = rand([4, 1], 6);
        const grads = tf.variableGrads(() => tf.sum(tf.mul(w, forward(xb))), vars).grads;
        for (const v of vars) {
          const g = grads[v.name].dataSync();
          assert.equal(g.length, v.size);
          assert.ok(g.every(Number.isFinite), v.name);
        }
      });
      model.dispose();
    });
  }

  test('a model with an unsupported weighted layer gets no fast forward (training falls back to model.apply)', () => {
    const model = tf.sequential({ layers: [tf.layers.flatten({ inputShape: [2, 3] }), tf.layers.batchNormalization(), tf.layers.dense({ units: 1 })] });
    assert.equal(fastForward(model), undefined);
    model.dispose();
  });
});
