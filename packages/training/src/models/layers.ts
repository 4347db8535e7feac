import { tf } from '@elasticity/core/tf';

/**
 * A Dense layer with bias and zero initialisers (initPyTorchDefault sets
 * the real values): the building block of every zoo model.
 */
export function zeroDense(name: string, units: number, activation: 'relu' | 'linear' | 'sigmoid', inputShape?: number[]): tf.layers.Layer {
  return tf.layers.dense({
    name, units, activation, useBias: true, kernelInitializer: 'zeros', biasInitializer: 'zeros', ...(inputShape ? { inputShape } : {}),
  });
}

/** The output layer of every zoo model: Dense(1), linear, or sigmoid for the *Prob models. */
export function outputDense(sigmoidOutput: boolean): tf.layers.Layer {
  return zeroDense('output', 1, sigmoidOutput ? 'sigmoid' : 'linear');
}
