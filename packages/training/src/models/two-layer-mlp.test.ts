import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createRng, ElasticityError, initBackend, tf } from '@elasticity/core';
import { getModelSpec, MODEL_ZOO, modelNames } from './zoo.ts';
import { initPyTorchDefault } from '../init.ts';
import { forwardJs, readMlpParams } from '../testing/reference-mlp.ts';

before(async () => {
  await initBackend('auto');
});

function randomRows(n: number, d: number, seed: number): Float32Array {
  const rng = createRng(seed);
  return Float32Array.from({ length: n * d }, () => rng.uniform(-1, 1));
}

describe('two-layer MLP zoo', () => {
  test('zoo lists the four 2-layer models with consistent loss and output', () => {
    assert.deepEqual(modelNames().sort(), ['MLPLinear', 'MLPLinearProb', 'MLPNet', 'MLPProb']);
    for (const spec of MODEL_ZOO.values()) {
      assert.equal(spec.sigmoidOutput, spec.name.endsWith('Prob'));
      assert.equal(spec.defaultLoss, spec.sigmoidOutput ? 'bce' : 'mse');
      assert.equal(spec.activation, spec.name.startsWith('MLPLinear') ? 'linear' : 'relu');
    }
  });

  test('unknown model name is an ElasticityError naming the field and the choices', () => {
    assert.throws(() => getModelSpec('Transformer', { file: 'p.json', field: 'train.model' }), (e: unknown) => {
      assert.ok(e instanceof ElasticityError);
      assert.equal(e.field, 'train.model');
      assert.match(e.message, /p\.json: train\.model: unknown model "Transformer".*MLPNet/);
      return true;
    });
  });

  for (const spec of MODEL_ZOO.values()) {
    test(`${spec.name}: flattened input, output [n, 1], parameter count and forward pass match the float64 definition`, () => {
      const inputShape = [1, 3, 2]; // d = 6
      const H = 7;
      const model = spec.build({ inputShape, width: H });
      initPyTorchDefault(model, 3);
      assert.deepEqual(model.inputs[0].shape, [null, 6]);
      assert.equal(model.countParams(), 6 * H + H + H + 1);
      const n = 5;
      const x = randomRows(n, 6, 11);
      const out = tf.tidy(() => model.predict(tf.tensor2d(x, [n, 6])) as tf.Tensor);
      assert.deepEqual(out.shape, [n, 1]);
      const got = out.dataSync();
      out.dispose();
      const params = readMlpParams(model, spec.activation === 'relu', spec.sigmoidOutput);
      for (let i = 0; i < n; i++) {
        const expected = forwardJs(params, x.subarray(i * 6, (i + 1) * 6)).out;
        assert.ok(Math.abs(got[i] - expected) < 1e-5, `row ${i}: ${got[i]} vs ${expected}`);
        if (spec.sigmoidOutput) assert.ok(got[i] > 0 && got[i] < 1);
      }
      model.dispose();
    });
  }

  test('the ReLU net is not linear in its input, the linear net is', () => {
    // An affine map satisfies f(x1) + f(x2) - f(x1 + x2) - f(0) = 0.
    const check = (name: string) => {
      const model = getModelSpec(name).build({ inputShape: [4], width: 16 });
      initPyTorchDefault(model, 1);
      const x1 = randomRows(1, 4, 5);
      const x2 = randomRows(1, 4, 6);
      const sum = x1.map((v, k) => v + x2[k]);
      const f = (x: Float32Array) => tf.tidy(() => (model.predict(tf.tensor2d(x, [1, 4])) as tf.Tensor).dataSync()[0]);
      const defect = f(x1) + f(x2) - f(sum) - f(new Float32Array(4));
      model.dispose();
      return Math.abs(defect);
    };
    assert.ok(check('MLPLinear') < 1e-5);
    assert.ok(check('MLPNet') > 1e-3);
  });
});
