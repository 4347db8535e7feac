import { ElasticityError } from '@elasticity/core';
import { tf } from '@elasticity/core/tf';
import { addConvStack, flatSize, imageDims } from './conv-stack.ts';
import { buildCnnCifar10 } from './cnn-cifar10.ts';
import type { BuildOptions, ModelSpec } from './model-spec.ts';

/**
 * The MNIST CNN (input [1, 28, 28] or any one-channel image):
 * Reshape([h, w, 1]) - conv stack (see addConvStack). A multi-channel input
 * gets the CIFAR-10 layout of cnn-cifar10.ts.
 */
export function buildCnnMnist(options: BuildOptions, name = 'CNN'): tf.Sequential {
  const [c, h, w] = imageDims(options.inputShape, name);
  if (c !== 1) throw new ElasticityError(`the MNIST CNN takes one channel, the dataset has ${c} (use CNNCifar10)`, { field: 'train.model' });
  const model = tf.sequential({ name });
  model.add(tf.layers.reshape({ name: 'image', targetShape: [h, w, 1], inputShape: [flatSize(options.inputShape)] }));
  addConvStack(model, options.width, false);
  return model;
}

/** "CNN" of the zoo: the MNIST CNN for one-channel inputs, the CIFAR-10 layout for several channels. */
export const CNN: ModelSpec = {
  name: 'CNN',
  description: 'Conv(20,5x5)-ReLU-MaxPool2 - Conv(50,5x5)-ReLU-MaxPool2 - Linear(.,H)-ReLU - Linear(H,1), squared loss (paper H = 500)',
  defaultLoss: 'mse',
  sigmoidOutput: false,
  activation: 'relu',
  usesWidth: true,
  defaultWidth: 500,
  paperWidth: 500,
  build: (options) => (imageDims(options.inputShape, 'CNN')[0] === 1 ? buildCnnMnist(options) : buildCnnCifar10(options, 'CNN')),
};
