import { tf } from '@elasticity/core/tf';
import { addConvStack, flatSize, imageDims } from './conv-stack.ts';
import type { BuildOptions, ModelSpec } from './model-spec.ts';

/**
 * The CNN for channel-major image rows such as CIFAR-10's [3, 32, 32]:
 * Reshape([c, h, w]) - Permute([2, 3, 1]) (to [h, w, c]) - the MNIST CNN's
 * conv stack (flatten size 50 * 5 * 5 = 1250 for 32 x 32).
 */
export function buildCnnCifar10(options: BuildOptions, name = 'CNNCifar10'): tf.Sequential {
  const [c, h, w] = imageDims(options.inputShape, name);
  const model = tf.sequential({ name });
  model.add(tf.layers.reshape({ name: 'image', targetShape: [c, h, w], inputShape: [flatSize(options.inputShape)] }));
  model.add(tf.layers.permute({ name: 'channels_last', dims: [2, 3, 1] }));
  addConvStack(model, options.width, false);
  return model;
}

export const CNNCifar10: ModelSpec = {
  name: 'CNNCifar10',
  description: 'the CNN for channel-major [c, h, w] rows (CIFAR-10 [3, 32, 32]): Reshape - Permute to channels-last - the MNIST conv stack, squared loss (paper H = 500)',
  defaultLoss: 'mse',
  sigmoidOutput: false,
  activation: 'relu',
  usesWidth: true,
  defaultWidth: 500,
  paperWidth: 500,
  build: (options) => buildCnnCifar10(options),
};
