import { tf } from '@elasticity/core';
import { flatSize } from './model-spec.ts';
import type { BuildOptions, HiddenActivation, ModelSpec } from './model-spec.ts';

/**
 * The paper's 2-layer family (method.md section 4):
 * f(x) = Linear(H, 1)( s( Linear(d, H) x ) ), s = ReLU or identity,
 * optionally followed by a sigmoid. Layers are named `hidden` and `output`.
 */
export function buildTwoLayerMlp(options: BuildOptions, activation: 'relu' | 'linear', sigmoidOutput: boolean, name: string): tf.Sequential {
  const d = flatSize(options.inputShape);
  const model = tf.sequential({ name });
  model.add(tf.layers.dense({
    name: 'hidden', inputShape: [d], units: options.width, activation, useBias: true,
    kernelInitializer: 'zeros', biasInitializer: 'zeros',
  }));
  model.add(tf.layers.dense({
    name: 'output', units: 1, activation: sigmoidOutput ? 'sigmoid' : 'linear', useBias: true,
    kernelInitializer: 'zeros', biasInitializer: 'zeros',
  }));
  return model;
}

function twoLayer(name: string, activation: 'relu' | 'linear', sigmoidOutput: boolean, description: string): ModelSpec {
  return {
    name,
    description,
    defaultLoss: sigmoidOutput ? 'bce' : 'mse',
    sigmoidOutput,
    activation: activation satisfies HiddenActivation,
    build: (options) => buildTwoLayerMlp(options, activation, sigmoidOutput, name),
  };
}

export const MLPNet = twoLayer('MLPNet', 'relu', false, 'Linear(d,H) - ReLU - Linear(H,1), squared loss');
export const MLPProb = twoLayer('MLPProb', 'relu', true, 'Linear(d,H) - ReLU - Linear(H,1) - sigmoid, binary cross-entropy');
export const MLPLinear = twoLayer('MLPLinear', 'linear', false, 'Linear(d,H) - Linear(H,1), squared loss');
export const MLPLinearProb = twoLayer('MLPLinearProb', 'linear', true, 'Linear(d,H) - Linear(H,1) - sigmoid, binary cross-entropy');
