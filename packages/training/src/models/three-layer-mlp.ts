import { tf } from '@elasticity/core/tf';
import { outputDense, zeroDense } from './layers.ts';
import { flatSize } from './model-spec.ts';
import type { BuildOptions, ModelSpec } from './model-spec.ts';

/** Paper width of the 3-layer models (method.md section 4). */
export const THREE_LAYER_PAPER_WIDTH = 8192;

/** Dense(H, s) -> Dense(H, s) -> Dense(1), layers `hidden1`, `hidden2`, `output`. */
export function buildThreeLayerMlp(options: BuildOptions, activation: 'relu' | 'linear', name: string): tf.Sequential {
  const model = tf.sequential({ name });
  model.add(zeroDense('hidden1', options.width, activation, [flatSize(options.inputShape)]));
  model.add(zeroDense('hidden2', options.width, activation));
  model.add(outputDense(false));
  return model;
}

export function threeLayerSpec(name: string, activation: 'relu' | 'linear', description: string): ModelSpec {
  return {
    name,
    description,
    defaultLoss: 'mse',
    sigmoidOutput: false,
    activation,
    usesWidth: true,
    defaultWidth: 1024,
    paperWidth: THREE_LAYER_PAPER_WIDTH,
    build: (options) => buildThreeLayerMlp(options, activation, name),
  };
}
