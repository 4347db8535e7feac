import { ElasticityError } from '@elasticity/core';
import { CNN } from './cnn.ts';
import { CNNCifar10 } from './cnn-cifar10.ts';
import { MLPLinear } from './mlp-linear.ts';
import { MLPLinear1Layer } from './mlp-linear-1layer.ts';
import { MLPLinear3Layer } from './mlp-linear-3layer.ts';
import { MLPLinearProb } from './mlp-linear-prob.ts';
import { MLPNet } from './mlp-net.ts';
import { MLPNet3Layer } from './mlp-net-3layer.ts';
import { MLPNetSigmoid } from './mlp-net-sigmoid.ts';
import { MLPProb } from './mlp-prob.ts';
import { ResNet } from './resnet.ts';
import type { ModelSpec } from './model-spec.ts';

/**
 * The model zoo: name -> spec. To add a model, write one file exporting a
 * ModelSpec (see mlp-net.ts) and list it here.
 */
export const MODEL_ZOO: ReadonlyMap<string, ModelSpec> = new Map(
  [MLPNet, MLPProb, MLPLinear, MLPLinearProb, MLPNetSigmoid, MLPLinear1Layer, MLPNet3Layer, MLPLinear3Layer, ResNet, CNN, CNNCifar10]
    .map((spec) => [spec.name, spec]),
);

export function modelNames(): string[] {
  return [...MODEL_ZOO.keys()];
}

/** The spec of a zoo model; an unknown name throws an error naming `field` and the choices. */
export function getModelSpec(name: string, where: { file?: string; field?: string } = {}): ModelSpec {
  const spec = MODEL_ZOO.get(name);
  if (!spec) throw new ElasticityError(`unknown model "${name}" (choose one of ${modelNames().join(', ')})`, where);
  return spec;
}
