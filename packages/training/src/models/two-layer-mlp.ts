import { tf } from '@elasticity/core/tf';
import { outputDense, zeroDense } from './layers.ts';
import { flatSize } from './model-spec.ts';
import type { BuildOptions, HiddenActivation, ModelSpec } from './model-spec.ts';

/** Paper width of the 2-layer family (method.md section 4). */
export const TWO_LAYER_PAPER_WIDTH = 40960;

/**
 * The paper's 2-layer family (method.md section 4):
 * f(x) = Linear(H, 1)( s( Linear(d, H) x ) ), s = ReLU, identity or sigmoid,
 * optionally followed by a sigmoid. Layers are named `hidden` and `output`.
 */
export function buildTwoLayerMlp(options: BuildOptions, activation: HiddenActivation, sigmoidOutput: boolean, name: string): tf.Sequential {
  const model = tf.sequential({ name });
  model.add(zeroDense('hidden', options.width, activation, [flatSize(options.inputShape)]));
  model.add(outputDense(sigmoidOutput));
  return model;
}

/** The zoo entry of one 2-layer model. */
export function twoLayerSpec(name: string, activation: HiddenActivation, sigmoidOutput: boolean, description: string): ModelSpec {
  return {
    name,
    description,
    defaultLoss: sigmoidOutput ? 'bce' : 'mse',
    sigmoidOutput,
    activation,
    usesWidth: true,
    defaultWidth: 1024,
    paperWidth: TWO_LAYER_PAPER_WIDTH,
    build: (options) => buildTwoLayerMlp(options, activation, sigmoidOutput, name),
  };
}
