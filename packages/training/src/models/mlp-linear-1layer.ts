import { tf } from '@elasticity/core/tf';
import { zeroDense } from './layers.ts';
import { flatSize } from './model-spec.ts';
import type { ModelSpec } from './model-spec.ts';

/** Linear(d, 1): the linear model without a hidden layer (width is ignored). */
export const MLPLinear1Layer: ModelSpec = {
  name: 'MLPLinear1Layer',
  description: 'Linear(d,1), squared loss (no hidden layer; width is ignored)',
  defaultLoss: 'mse',
  sigmoidOutput: false,
  activation: 'linear',
  usesWidth: false,
  defaultWidth: 1024,
  paperWidth: 1,
  build: ({ inputShape }) => {
    const model = tf.sequential({ name: 'MLPLinear1Layer' });
    model.add(zeroDense('output', 1, 'linear', [flatSize(inputShape)]));
    return model;
  },
};
