import { tf } from '@elasticity/core/tf';
import { outputDense, zeroDense } from './layers.ts';
import { flatSize } from './model-spec.ts';
import type { ModelSpec } from './model-spec.ts';

/**
 * The residual MLP of the authors' code ("ResNet"), a functional model:
 * h1 = ReLU(Linear(d, H) x), h2 = ReLU(Linear(H, H) h1), out = Linear(H, 1)(h1 + h2).
 * Layers: `hidden1`, `hidden2`, `residual` (Add), `output`.
 */
export const ResNet: ModelSpec = {
  name: 'ResNet',
  description: 'residual MLP: h1 = ReLU(Linear(d,H) x), h2 = ReLU(Linear(H,H) h1), Linear(H,1)(h1 + h2), squared loss (paper H = 4096)',
  defaultLoss: 'mse',
  sigmoidOutput: false,
  activation: 'relu',
  usesWidth: true,
  defaultWidth: 1024,
  paperWidth: 4096,
  build: ({ inputShape, width }) => {
    const input = tf.input({ shape: [flatSize(inputShape)], name: 'input' });
    const h1 = zeroDense('hidden1', width, 'relu').apply(input) as tf.SymbolicTensor;
    const h2 = zeroDense('hidden2', width, 'relu').apply(h1) as tf.SymbolicTensor;
    const sum = tf.layers.add({ name: 'residual' }).apply([h1, h2]) as tf.SymbolicTensor;
    const out = outputDense(false).apply(sum) as tf.SymbolicTensor;
    return tf.model({ inputs: input, outputs: out, name: 'ResNet' });
  },
};
