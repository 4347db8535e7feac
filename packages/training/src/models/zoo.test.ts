import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createRng, ElasticityError, initBackend } from '@elasticity/core';
import { tf } from '@elasticity/core/tf';
import { getModelSpec, MODEL_ZOO, modelNames } from './zoo.ts';
import { fanInOf, initPyTorchDefault } from '../init.ts';
import { forwardJs, readMlpParams } from '../testing/reference-mlp.ts';

before(async () => {
  await initBackend('auto');
});

function randomRows(n: number, d: number, seed: number): Float32Array {
  const rng = createRng(seed);
  return Float32Array.from({ length: n * d }, () => rng.uniform(-1, 1));
}

const H = 7;
/** A small input shape each model accepts: images for the CNNs, a [1, 3, 2] "image" for the MLPs (flattened to 6). */
const SHAPES: Record<string, number[]> = { CNN: [1, 16, 16], CNNCifar10: [3, 16, 16] };
const shapeOf = (name: string) => SHAPES[name] ?? [1, 3, 2];
const dOf = (name: string) => shapeOf(name).reduce((a, b) => a * b, 1);

/** Layer classes and activations of the shared zoo contract (zoo-topology), for width H and the test input shapes. */
const CONV = ['Conv2D(relu)', 'MaxPooling2D', 'Conv2D(relu)', 'MaxPooling2D', 'Flatten', 'Dense(relu)'];
const TOPOLOGY: Record<string, string[]> = {
  MLPNet: ['Dense(relu)', 'Dense(linear)'],
  MLPProb: ['Dense(relu)', 'Dense(sigmoid)'],
  MLPLinear: ['Dense(linear)', 'Dense(linear)'],
  MLPLinearProb: ['Dense(linear)', 'Dense(sigmoid)'],
  MLPNetSigmoid: ['Dense(sigmoid)', 'Dense(linear)'],
  MLPLinear1Layer: ['Dense(linear)'],
  MLPNet3Layer: ['Dense(relu)', 'Dense(relu)', 'Dense(linear)'],
  MLPLinear3Layer: ['Dense(linear)', 'Dense(linear)', 'Dense(linear)'],
  ResNet: ['InputLayer', 'Dense(relu)', 'Dense(relu)', 'Add', 'Dense(linear)'],
  CNN: ['Reshape', ...CONV, 'Dense(linear)'],
  CNNCifar10: ['Reshape', 'Permute', ...CONV, 'Dense(linear)'],
};

/** Parameter count by hand: d = 6 for the MLPs; 16x16 images give 12x12 -> 6x6 -> 2x2 -> 1x1 (50 values) after the conv stack. */
function expectedParams(name: string): number {
  const d = dOf(name);
  const conv = (cin: number) => 5 * 5 * cin * 20 + 20 + 5 * 5 * 20 * 50 + 50 + 50 * 1 * 1 * H + H + H + 1;
  switch (name) {
    case 'MLPLinear1Layer': return d + 1;
    case 'MLPNet3Layer': case 'MLPLinear3Layer': case 'ResNet': return d * H + H + H * H + H + H + 1;
    case 'CNN': return conv(1);
    case 'CNNCifar10': return conv(3);
    default: return d * H + H + H + 1;
  }
}

function describeLayer(layer: tf.layers.Layer): string {
  const activation = layer.getConfig().activation as string | undefined;
  return activation ? `${layer.getClassName()}(${activation})` : layer.getClassName();
}

describe('model zoo', () => {
  test('lists every model of the contract with consistent loss, output and widths', () => {
    assert.deepEqual(modelNames().sort(), Object.keys(TOPOLOGY).sort());
    for (const spec of MODEL_ZOO.values()) {
      assert.equal(spec.sigmoidOutput, spec.name.endsWith('Prob'));
      assert.equal(spec.defaultLoss, spec.sigmoidOutput ? 'bce' : 'mse');
      assert.equal(spec.usesWidth, spec.name !== 'MLPLinear1Layer');
    }
    const paper = Object.fromEntries([...MODEL_ZOO.values()].map((s) => [s.name, s.paperWidth]));
    assert.deepEqual(paper, {
      MLPNet: 40960, MLPProb: 40960, MLPLinear: 40960, MLPLinearProb: 40960, MLPNetSigmoid: 40960, MLPLinear1Layer: 1,
      MLPNet3Layer: 8192, MLPLinear3Layer: 8192, ResNet: 4096, CNN: 500, CNNCifar10: 500,
    });
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
    test(`${spec.name}: contract topology, flat input, output [n, 1], parameter count, PyTorch init bounds`, () => {
      const model = spec.build({ inputShape: shapeOf(spec.name), width: H });
      initPyTorchDefault(model, 3);
      assert.deepEqual(model.layers.map(describeLayer), TOPOLOGY[spec.name]);
      assert.deepEqual(model.inputs[0].shape, [null, dOf(spec.name)]);
      assert.equal(model.countParams(), expectedParams(spec.name));
      for (const layer of model.layers) {
        if (layer.weights.length === 0) continue;
        const bound = Math.fround(1 / Math.sqrt(fanInOf(layer.weights[0].shape as number[])));
        for (const w of layer.getWeights()) {
          const values = Float32Array.from(w.dataSync());
          const max = values.reduce((m: number, v: number) => Math.max(m, Math.abs(v)), 0);
          assert.ok(max <= bound, `${layer.name}: |w| ${max} > ${bound}`);
          if (values.length >= 50) assert.ok(max > 0.8 * bound, `${layer.name}: values fill the interval (${max} vs ${bound})`);
        }
      }
      const n = 5;
      const out = tf.tidy(() => model.predict(tf.tensor2d(randomRows(n, dOf(spec.name), 11), [n, dOf(spec.name)])) as tf.Tensor);
      assert.deepEqual(out.shape, [n, 1]);
      const got = out.dataSync();
      out.dispose();
      assert.ok(got.every(Number.isFinite));
      if (spec.sigmoidOutput) assert.ok(got.every((p) => p > 0 && p < 1));
      model.dispose();
    });
  }

  for (const name of ['MLPNet', 'MLPProb', 'MLPLinear', 'MLPLinearProb', 'MLPNetSigmoid']) {
    test(`${name}: the forward pass equals the float64 definition a . s(W x + b) + c`, () => {
      const spec = getModelSpec(name);
      const model = spec.build({ inputShape: [1, 3, 2], width: H });
      initPyTorchDefault(model, 3);
      const x = randomRows(5, 6, 11);
      const got = tf.tidy(() => (model.predict(tf.tensor2d(x, [5, 6])) as tf.Tensor).dataSync());
      const params = readMlpParams(model, spec.activation, spec.sigmoidOutput);
      for (let i = 0; i < 5; i++) {
        const expected = forwardJs(params, x.subarray(i * 6, (i + 1) * 6)).out;
        assert.ok(Math.abs(got[i] - expected) < 1e-5, `row ${i}: ${got[i]} vs ${expected}`);
      }
      model.dispose();
    });
  }

  test('ResNet computes Linear(H,1)(h1 + h2) with h1 = relu(W1 x + b1), h2 = relu(W2 h1 + b2), by hand in float64', () => {
    const model = getModelSpec('ResNet').build({ inputShape: [4], width: 5 });
    initPyTorchDefault(model, 8);
    const [W1, b1, W2, b2, a, c] = model.getWeights().map((t) => Float64Array.from(t.dataSync()));
    const x = randomRows(3, 4, 2);
    const got = tf.tidy(() => (model.predict(tf.tensor2d(x, [3, 4])) as tf.Tensor).dataSync());
    const layer = (input: ArrayLike<number>, W: Float64Array, b: Float64Array, units: number) =>
      Array.from({ length: units }, (_, j) => Math.max(0, b[j] + Array.from(input).reduce((s, v, k) => s + v * W[k * units + j], 0)));
    for (let i = 0; i < 3; i++) {
      const h1 = layer(x.subarray(i * 4, i * 4 + 4), W1, b1, 5);
      const h2 = layer(h1, W2, b2, 5);
      const expected = c[0] + h1.reduce((s, v, j) => s + (v + h2[j]) * a[j], 0);
      assert.ok(Math.abs(got[i] - expected) < 1e-5, `${got[i]} vs ${expected}`);
    }
    model.dispose();
  });

  test('the CNNs keep the image layout: 28x28 MNIST flattens 800 values into the dense layer, 3x32x32 CIFAR-10 1250', () => {
    const mnist = getModelSpec('CNN').build({ inputShape: [1, 28, 28], width: 500 });
    const cifar = getModelSpec('CNNCifar10').build({ inputShape: [3, 32, 32], width: 500 });
    const viaCnn = getModelSpec('CNN').build({ inputShape: [3, 32, 32], width: 500 });
    assert.deepEqual(mnist.getLayer('hidden').weights[0].shape, [800, 500]);
    assert.deepEqual(cifar.getLayer('hidden').weights[0].shape, [1250, 500]);
    assert.deepEqual(viaCnn.layers.map((l) => l.getClassName()), cifar.layers.map((l) => l.getClassName()));
    // The CIFAR layout reads rows channel-major: pixel (i, j) of channel ch is x[ch * 1024 + i * 32 + j].
    const x = new Float32Array(3 * 32 * 32).map((_, k) => k);
    const image = tf.tidy(() => (tf.model({ inputs: cifar.inputs, outputs: cifar.getLayer('channels_last').output as tf.SymbolicTensor })
      .predict(tf.tensor2d(x, [1, 3072])) as tf.Tensor).arraySync() as number[][][][]);
    assert.deepEqual(image[0][2][5], [2 * 32 + 5, 1024 + 2 * 32 + 5, 2048 + 2 * 32 + 5]);
    for (const m of [mnist, cifar, viaCnn]) m.dispose();
  });

  test('a CNN on a non-image or too small input is an ElasticityError on train.model', () => {
    for (const inputShape of [[784], [1, 12, 12], [3, 8, 40]]) {
      assert.throws(() => getModelSpec('CNN').build({ inputShape, width: 4 }), (e: unknown) => e instanceof ElasticityError && e.field === 'train.model');
    }
  });

  test('the ReLU net is not linear in its input, the linear nets are', () => {
    // An affine map satisfies f(x1) + f(x2) - f(x1 + x2) - f(0) = 0.
    const defect = (name: string) => {
      const model = getModelSpec(name).build({ inputShape: [4], width: 16 });
      initPyTorchDefault(model, 1);
      const x1 = randomRows(1, 4, 5);
      const x2 = randomRows(1, 4, 6);
      const sum = x1.map((v, k) => v + x2[k]);
      const f = (x: Float32Array) => tf.tidy(() => (model.predict(tf.tensor2d(x, [1, 4])) as tf.Tensor).dataSync()[0]);
      const value = f(x1) + f(x2) - f(sum) - f(new Float32Array(4));
      model.dispose();
      return Math.abs(value);
    };
    for (const name of ['MLPLinear', 'MLPLinear3Layer', 'MLPLinear1Layer']) assert.ok(defect(name) < 1e-5, name);
    assert.ok(defect('MLPNet') > 1e-3);
  });
});
