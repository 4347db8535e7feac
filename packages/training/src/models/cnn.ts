import { tf } from '@elasticity/core/tf';
import { addConvStack, flatSize, imageDims } from './conv-stack.ts';
import type { BuildOptions, ModelSpec } from './model-spec.ts';

/**
 * How a CNN reshapes its flat input row into an image: 'by-channels' takes
 * Reshape([h, w, 1]) for a one-channel input ([1, h, w], MNIST) and the
 * channel-major layout for several channels; 'channel-major' always takes
 * Reshape([c, h, w]) - Permute([2, 3, 1]) (to [h, w, c]), the layout of
 * rows such as CIFAR-10's [3, 32, 32].
 */
export type CnnLayout = 'by-channels' | 'channel-major';

/** The image layer(s), then the authors' conv stack (flatten size 50 * 4 * 4 = 800 for 28 x 28, 50 * 5 * 5 = 1250 for 32 x 32). */
function buildCnn(options: BuildOptions, name: string, layout: CnnLayout): tf.Sequential {
  const [c, h, w] = imageDims(options.inputShape, name);
  const model = tf.sequential({ name });
  const inputShape = [flatSize(options.inputShape)];
  if (layout === 'by-channels' && c === 1) {
    model.add(tf.layers.reshape({ name: 'image', targetShape: [h, w, 1], inputShape }));
  } else {
    model.add(tf.layers.reshape({ name: 'image', targetShape: [c, h, w], inputShape }));
    model.add(tf.layers.permute({ name: 'channels_last', dims: [2, 3, 1] }));
  }
  addConvStack(model, options.width, false);
  return model;
}

/** The zoo entry of one CNN: squared loss, ReLU, the paper's H = 500. */
export function cnnSpec(name: string, layout: CnnLayout, description: string): ModelSpec {
  return {
    name,
    description,
    defaultLoss: 'mse',
    sigmoidOutput: false,
    activation: 'relu',
    usesWidth: true,
    defaultWidth: 500,
    paperWidth: 500,
    build: (options) => buildCnn(options, name, layout),
  };
}
