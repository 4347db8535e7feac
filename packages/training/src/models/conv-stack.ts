import { ElasticityError } from '@elasticity/core';
import { tf } from '@elasticity/core/tf';
import { outputDense, zeroDense } from './layers.ts';
import { flatSize } from './model-spec.ts';

/** Channels, height and width of an image input shape: [C, H, W] (channel-major rows) or [H, W] (one channel). */
export function imageDims(inputShape: number[], model: string): [number, number, number] {
  const dims = inputShape.length === 2 ? [1, ...inputShape] : inputShape;
  const [, h, w] = dims;
  // valid 5x5 conv, 2x2 pool, valid 5x5 conv, 2x2 pool must leave at least one pixel
  const after = (s: number) => Math.floor((Math.floor((s - 4) / 2) - 4) / 2);
  if (dims.length !== 3 || !dims.every((s) => Number.isInteger(s) && s > 0) || after(h) < 1 || after(w) < 1) {
    throw new ElasticityError(
      `${model} needs an image input shape [channels, height, width] of at least 16 x 16 pixels; the dataset has ${JSON.stringify(inputShape)}`,
      { field: 'train.model' },
    );
  }
  return dims as [number, number, number];
}

/**
 * The authors' MNIST CNN on an image already in [height, width, channels]
 * layout: Conv2D(20, 5x5, relu, valid) - MaxPool2D(2) - Conv2D(50, 5x5, relu)
 * - MaxPool2D(2) - Flatten - Dense(width, relu) (paper 500) - Dense(1).
 */
export function addConvStack(model: tf.Sequential, width: number, sigmoidOutput: boolean): void {
  const conv = (name: string, filters: number) => tf.layers.conv2d({
    name, filters, kernelSize: 5, strides: 1, padding: 'valid', activation: 'relu', useBias: true,
    kernelInitializer: 'zeros', biasInitializer: 'zeros', dataFormat: 'channelsLast',
  });
  model.add(conv('conv1', 20));
  model.add(tf.layers.maxPooling2d({ name: 'pool1', poolSize: 2, strides: 2 }));
  model.add(conv('conv2', 50));
  model.add(tf.layers.maxPooling2d({ name: 'pool2', poolSize: 2, strides: 2 }));
  model.add(tf.layers.flatten({ name: 'flatten' }));
  model.add(zeroDense('hidden', width, 'relu'));
  model.add(outputDense(sigmoidOutput));
}

export { flatSize };
