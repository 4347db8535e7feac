/**
 * Helpers for this package's tests only (not exported from index.ts):
 * random MLP-family networks and tfjs models holding exactly their weights.
 */
import { tf } from '@elasticity/core';
import type { HiddenActivation, MlpNet, Rng } from '@elasticity/core';

/** A random MlpNet with float32-representable weights (so tfjs models hold exactly the same numbers). */
export function randomNet(
  rng: Rng, d: number, widths: number[], activations: HiddenActivation[], options: { readout?: 'last' | 'sum'; sigmoidOutput?: boolean; scale?: number } = {},
): MlpNet {
  const scale = options.scale ?? 1;
  const u = (s: number) => Math.fround(rng.uniform(-s, s));
  let inputs = d;
  const layers = widths.map((units, l) => {
    const s = scale / Math.sqrt(inputs);
    const layer = {
      inputs, units, activation: activations[l],
      W: Float64Array.from({ length: units * inputs }, () => u(s)), b: Float64Array.from({ length: units }, () => u(s)),
    };
    inputs = units;
    return layer;
  });
  return {
    d, layers, readout: options.readout ?? 'last', sigmoidOutput: options.sigmoidOutput ?? false,
    a: Float64Array.from({ length: inputs }, () => u(scale / Math.sqrt(inputs))), c: u(scale / Math.sqrt(inputs)),
  };
}

/** Every MLP-family topology of the zoo contract (small), as random MlpNets. */
export function zooNets(rng: Rng, d: number, h: number): Record<string, MlpNet> {
  return {
    MLPNet: randomNet(rng, d, [h], ['relu']),
    MLPProb: randomNet(rng, d, [h], ['relu'], { sigmoidOutput: true }),
    MLPLinear: randomNet(rng, d, [h], ['linear']),
    MLPLinearProb: randomNet(rng, d, [h], ['linear'], { sigmoidOutput: true }),
    MLPNetSigmoid: randomNet(rng, d, [h], ['sigmoid']),
    MLPLinear1Layer: randomNet(rng, d, [], []),
    MLPNet3Layer: randomNet(rng, d, [h, h + 1], ['relu', 'relu']),
    MLPLinear3Layer: randomNet(rng, d, [h, h + 1], ['linear', 'linear']),
    ResNet: randomNet(rng, d, [h, h], ['relu', 'relu'], { readout: 'sum' }),
  };
}

/** A tfjs model of the zoo contract's topology holding exactly the MlpNet's weights. */
export function netToModel(net: MlpNet): tf.LayersModel {
  const kernel = (W: Float64Array, units: number, inputs: number) => {
    const k = new Float32Array(inputs * units);
    for (let u = 0; u < units; u++) for (let p = 0; p < inputs; p++) k[p * units + u] = W[u * inputs + p];
    return tf.tensor2d(k, [inputs, units]);
  };
  const weights: tf.Tensor[] = [];
  for (const l of net.layers) weights.push(kernel(l.W, l.units, l.inputs), tf.tensor1d(Float32Array.from(l.b)));
  weights.push(tf.tensor2d(Float32Array.from(net.a), [net.a.length, 1]), tf.tensor1d([net.c]));
  let model: tf.LayersModel;
  if (net.readout === 'sum') {
    const input = tf.input({ shape: [net.d] });
    const hidden: tf.SymbolicTensor[] = [];
    let t: tf.SymbolicTensor = input;
    for (const l of net.layers) hidden.push((t = tf.layers.dense({ units: l.units, activation: l.activation }).apply(t) as tf.SymbolicTensor));
    const sum = tf.layers.add().apply(hidden) as tf.SymbolicTensor;
    model = tf.model({ inputs: input, outputs: tf.layers.dense({ units: 1, activation: net.sigmoidOutput ? 'sigmoid' : 'linear' }).apply(sum) as tf.SymbolicTensor });
  } else {
    const seq = tf.sequential();
    net.layers.forEach((l, q) => seq.add(tf.layers.dense({ units: l.units, activation: l.activation, ...(q === 0 ? { inputShape: [net.d] } : {}) })));
    seq.add(tf.layers.dense({ units: 1, activation: net.sigmoidOutput ? 'sigmoid' : 'linear', ...(net.layers.length === 0 ? { inputShape: [net.d] } : {}) }));
    model = seq;
  }
  model.setWeights(weights);
  return model;
}
