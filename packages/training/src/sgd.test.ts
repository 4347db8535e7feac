import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createRng, initBackend } from '@elasticity/core';
import { tf } from '@elasticity/core/tf';
import { openOnnxMatMul } from '@elasticity/core';
import { fastForward } from './fast-forward.ts';
import { initPyTorchDefault } from './init.ts';
import { lossFunction } from './losses.ts';
import { getModelSpec, MODEL_ZOO } from './models/zoo.ts';
import { sgdStep, trainableVariables } from './sgd.ts';
import { trainModel } from './train.ts';
import { twoLayerShapeOf } from './two-layer-model.ts';
import { batchGradJs, batchLossJs, readMlpParams } from './testing/reference-mlp.ts';
import type { MlpParams } from './testing/reference-mlp.ts';

before(async () => {
  await initBackend('auto');
});

const onnx = await openOnnxMatMul();
await onnx?.release();

const d = 3;
const H = 4;
const n = 5;

function tinyBatch(seed: number): { x: Float32Array; y: Float32Array } {
  const rng = createRng(seed);
  return {
    x: Float32Array.from({ length: n * d }, () => rng.uniform(-1, 1)),
    y: Float32Array.from({ length: n }, (_, i) => i % 2),
  };
}

function flatParams(m: MlpParams): Float64Array {
  return Float64Array.from([...m.W, ...m.b, ...m.a, m.c]);
}

function withFlat(m: MlpParams, flat: Float64Array): MlpParams {
  const dH = m.d * m.H;
  return { ...m, W: flat.slice(0, dH), b: flat.slice(dH, dH + m.H), a: flat.slice(dH + m.H, dH + 2 * m.H), c: flat[dH + 2 * m.H] };
}

function flatGrad(g: ReturnType<typeof batchGradJs>): Float64Array {
  return Float64Array.from([...g.W, ...g.b, ...g.a, g.c]);
}

type Forward = (model: tf.LayersModel) => (x: tf.Tensor2D) => tf.Tensor;
/** `got` (the flat weights after one step) equals w - lr * grad of the batch loss by hand in float64, within float32 rounding. */
function assertOneSgdStep(got: Float64Array, m: MlpParams, x: Float32Array, y: Float32Array, loss: Parameters<typeof batchGradJs>[3], lr: number): void {
  const grad = flatGrad(batchGradJs(m, x, y, loss));
  flatParams(m).forEach((w, k) => {
    const expected = w - lr * grad[k];
    assert.ok(Math.abs(got[k] - expected) <= 2e-6 * (1 + Math.abs(expected)), `weight ${k}: ${got[k]} vs ${expected}`);
  });
}

const FORWARDS: Record<string, Forward> = {
  'model.apply': (model) => (x) => model.apply(x) as tf.Tensor,
  fastForward: (model) => fastForward(model)!,
};

/** The 2-layer family (the closed forms of method.md section 7 apply); checked against the zoo below. */
const TWO_LAYER = ['MLPNet', 'MLPProb', 'MLPLinear', 'MLPLinearProb', 'MLPNetSigmoid'].map((name) => getModelSpec(name));

test('the 2-layer family is exactly the zoo models shaped Dense(H) -> Dense(1)', () => {
  const shaped = [...MODEL_ZOO.values()].filter((spec) => {
    const model = spec.build({ inputShape: spec.name.startsWith('CNN') ? [1, 16, 16] : [2], width: 2 });
    const is = twoLayerShapeOf(model) !== undefined;
    model.dispose();
    return is;
  });
  assert.deepEqual(shaped.map((s) => s.name).sort(), TWO_LAYER.map((s) => s.name).sort());
});

for (const spec of TWO_LAYER) {
  describe(`${spec.name} (${spec.defaultLoss})`, () => {
    const loss = spec.defaultLoss;

    test('the closed-form float64 gradient (method.md section 7) equals central finite differences', () => {
      const model = spec.build({ inputShape: [d], width: H });
      initPyTorchDefault(model, 1);
      const m = readMlpParams(model, spec.activation, spec.sigmoidOutput);
      model.dispose();
      const { x, y } = tinyBatch(2);
      const analytic = flatGrad(batchGradJs(m, x, y, loss));
      const theta = flatParams(m);
      const h = 1e-6;
      for (let k = 0; k < theta.length; k++) {
        const plus = Float64Array.from(theta);
        const minus = Float64Array.from(theta);
        plus[k] += h;
        minus[k] -= h;
        const fd = (batchLossJs(withFlat(m, plus), x, y, loss) - batchLossJs(withFlat(m, minus), x, y, loss)) / (2 * h);
        assert.ok(Math.abs(fd - analytic[k]) < 1e-7, `parameter ${k}: fd ${fd} vs ${analytic[k]}`);
      }
    });

    for (const [via, forward] of Object.entries(FORWARDS)) {
      test(`tf gradients (${via}) of the batch-mean loss w.r.t. every weight equal the float64 closed form`, () => {
        const model = spec.build({ inputShape: [d], width: H });
        initPyTorchDefault(model, 4);
        const m = readMlpParams(model, spec.activation, spec.sigmoidOutput);
        const { x, y } = tinyBatch(5);
        const vars = trainableVariables(model);
        let grads = new Float64Array(0);
        tf.tidy(() => {
          const result = tf.variableGrads(() => lossFunction(loss)(forward(model)(tf.tensor2d(x, [n, d])), tf.tensor2d(y, [n, 1])), vars);
          grads = Float64Array.from(vars.flatMap((v) => [...result.grads[v.name].dataSync()]));
        });
        model.dispose();
        const expected = flatGrad(batchGradJs(m, x, y, loss));
        assert.equal(grads.length, expected.length);
        expected.forEach((g, k) => assert.ok(Math.abs(grads[k] - g) <= 2e-6 * (1 + Math.abs(g)), `weight ${k}: ${grads[k]} vs ${g}`));
      });

      test(`one SGD step (${via}) equals w - lr * grad computed by hand in float64, and returns the loss before the step`, () => {
        const model = spec.build({ inputShape: [d], width: H });
        initPyTorchDefault(model, 6);
        const m = readMlpParams(model, spec.activation, spec.sigmoidOutput);
        const { x, y } = tinyBatch(7);
        const lr = 0.25;
        const vars = trainableVariables(model);
        const before = tf.memory().numTensors;
        const lossValue = tf.tidy(() => {
          const xb = tf.tensor2d(x, [n, d]);
          const yb = tf.tensor2d(y, [n, 1]);
          const f = forward(model);
          return sgdStep(vars, () => lossFunction(loss)(f(xb), yb), lr);
        });
        assert.equal(tf.memory().numTensors, before + 1, 'only the returned loss survives the step');
        const reported = lossValue.dataSync()[0];
        lossValue.dispose();
        const got = Float64Array.from(model.getWeights().flatMap((t) => [...t.dataSync()]));
        model.dispose();
        assertOneSgdStep(got, m, x, y, loss, lr);
        assert.ok(Math.abs(reported - batchLossJs(m, x, y, loss)) < 1e-5);
      });
    }

    for (const kernel of ['tfjs', 'onnx'] as const) {
      test(`trainModel (explicit-gradient engine, ${kernel} kernel): one full-batch epoch equals w - lr * grad by hand in float64`, { skip: kernel === 'onnx' && !onnx ? 'onnxruntime-node is not installed' : false }, async () => {
        const model = spec.build({ inputShape: [d], width: H });
        initPyTorchDefault(model, 8);
        const m = readMlpParams(model, spec.activation, spec.sigmoidOutput);
        const { x, y } = tinyBatch(9);
        const lr = 0.3;
        const [record] = await trainModel(model, { x, d, y }, { loss, lr, batch: n, epochs: 1, seed: 0, kernel });
        const got = Float64Array.from(model.getWeights().flatMap((t) => [...t.dataSync()]));
        model.dispose();
        assertOneSgdStep(got, m, x, y, loss, lr);
        assert.ok(Math.abs(record.loss - batchLossJs(m, x, y, loss)) < 1e-5, 'the epoch loss is the loss before the step');
      });
    }
  });
}
