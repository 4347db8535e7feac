import { tf } from '@elasticity/core/tf';
import type { MlpNet } from './mlp-net.ts';

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
