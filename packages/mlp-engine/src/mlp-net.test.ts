import { test } from 'node:test';
import assert from 'node:assert/strict';
import { initBackend, ElasticityError, createRng } from '@elasticity/core';
import { tf } from '@elasticity/core/tf';
import { inspectMlpNet, readMlpNet } from './mlp-net.ts';
import { mlpNetFeatures } from './net-features.ts';
import { createProducts } from './products.ts';

await initBackend('cpu');

const dense = (units: number, activation: string, inputShape?: number[]) =>
  tf.layers.dense({ units, activation: activation as 'relu', ...(inputShape ? { inputShape } : {}) });

/** The zoo's topologies (zoo-topology contract), small. */
export function zooModels(d: number, h: number): Record<string, tf.LayersModel> {
  const seq = (...layers: tf.layers.Layer[]) => tf.sequential({ layers });
  const input = tf.input({ shape: [d] });
  const h1 = dense(h, 'relu').apply(input) as tf.SymbolicTensor;
  const h2 = dense(h, 'relu').apply(h1) as tf.SymbolicTensor;
  const out = dense(1, 'linear').apply(tf.layers.add().apply([h1, h2]) as tf.SymbolicTensor) as tf.SymbolicTensor;
  return {
    MLPNet: seq(dense(h, 'relu', [d]), dense(1, 'linear')),
    MLPProb: seq(dense(h, 'relu', [d]), dense(1, 'sigmoid')),
    MLPLinear: seq(dense(h, 'linear', [d]), dense(1, 'linear')),
    MLPLinearProb: seq(dense(h, 'linear', [d]), dense(1, 'sigmoid')),
    MLPNetSigmoid: seq(dense(h, 'sigmoid', [d]), dense(1, 'linear')),
    MLPLinear1Layer: seq(dense(1, 'linear', [d])),
    MLPNet3Layer: seq(dense(h, 'relu', [d]), dense(h + 1, 'relu'), dense(1, 'linear')),
    MLPLinear3Layer: seq(dense(h, 'linear', [d]), dense(h + 1, 'linear'), dense(1, 'linear')),
    ResNet: tf.model({ inputs: input, outputs: out }),
  };
}

test('reads every MLP-family model of the zoo; forward pass equals predict(), backward pass equals tf.grad', async () => {
  const d = 5, h = 6, n = 4;
  const rng = createRng(2);
  const x = Float32Array.from({ length: n * d }, () => rng.uniform(-1, 1));
  const expectedDepth: Record<string, number> = { MLPLinear1Layer: 0, MLPNet3Layer: 2, MLPLinear3Layer: 2, ResNet: 2 };
  for (const [name, model] of Object.entries(zooModels(d, h))) {
    const net = readMlpNet(model, 'm.json');
    assert.equal(net.layers.length, expectedDepth[name] ?? 1, name);
    assert.equal(net.readout, name === 'ResNet' ? 'sum' : 'last');
    assert.equal(net.sigmoidOutput, name.endsWith('Prob'));
    for (const products of [createProducts({ precision: 'float64' }), createProducts({ precision: 'float32', threads: 0 })]) {
      const F = await mlpNetFeatures(net, x, n, products, { backward: true });
      const want = (model.predict(tf.tensor2d(x, [n, d])) as tf.Tensor).dataSync();
      for (let j = 0; j < n; j++) assert.ok(Math.abs(F.output[j] - want[j]) < 1e-5, `${name} ${products.precision}: ${F.output[j]} vs ${want[j]}`);
      // d logit / d b_1 from TensorFlow.js: the gradient of the pre-sigmoid output w.r.t. the first bias
      if (net.layers.length > 0) {
        const logitModel = net.sigmoidOutput ? undefined : model;
        if (logitModel) {
          const first = model.layers.find((l) => l.getClassName() === 'Dense')!;
          const bias = first.trainableWeights[1].read() as tf.Variable;
          for (let j = 0; j < n; j++) {
            const g = tf.variableGrads(() => (model.apply(tf.tensor2d(x.subarray(j * d, (j + 1) * d), [1, d])) as tf.Tensor).sum() as tf.Scalar, [bias as tf.Variable]);
            const got = g.grads[bias.name].dataSync();
            const units = net.layers[0].units;
            for (let k = 0; k < units; k++) assert.ok(Math.abs(F.back[0][j * units + k] - got[k]) < 1e-5, `${name} back ${j},${k}`);
          }
        }
      }
    }
  }
});

test('other architectures are a clear ElasticityError naming the reason', () => {
  const cnn = tf.sequential({
    layers: [tf.layers.reshape({ inputShape: [16], targetShape: [4, 4, 1] }), tf.layers.conv2d({ filters: 2, kernelSize: 3 }), tf.layers.flatten(), tf.layers.dense({ units: 1 })],
  });
  const tanh = tf.sequential({ layers: [dense(3, 'tanh', [2]), dense(1, 'linear')] });
  const wide = tf.sequential({ layers: [dense(3, 'relu', [2]), dense(2, 'linear')] });
  for (const [model, pattern] of [[cnn, /Reshape/], [tanh, /tanh/], [wide, /Dense\(1\)/]] as const) {
    assert.ok('reason' in inspectMlpNet(model));
    assert.throws(() => readMlpNet(model, 'm/model.json'), (e: unknown) => e instanceof ElasticityError && pattern.test(e.message) && e.message.startsWith('m/model.json: modelTopology'));
  }
});
