import { ElasticityError } from '@elasticity/core';
import { cnnSpec } from './cnn.ts';
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
  [
    MLPNet, MLPProb, MLPLinear, MLPLinearProb, MLPNetSigmoid, MLPLinear1Layer, MLPNet3Layer, MLPLinear3Layer, ResNet,
    cnnSpec('CNN', 'by-channels', 'Conv(20,5x5)-ReLU-MaxPool2 - Conv(50,5x5)-ReLU-MaxPool2 - Linear(.,H)-ReLU - Linear(H,1), squared loss (paper H = 500)'),
    cnnSpec('CNNCifar10', 'channel-major', 'the CNN for channel-major [c, h, w] rows (CIFAR-10 [3, 32, 32]): Reshape - Permute to channels-last - the MNIST conv stack, squared loss (paper H = 500)'),
  ].map((spec) => [spec.name, spec]),
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
