import { ElasticityError } from '@elasticity/core';
import { cnnSpec } from './cnn.ts';
import { MLPLinear1Layer } from './mlp-linear-1layer.ts';
import { ResNet } from './resnet.ts';
import { threeLayerSpec } from './three-layer-mlp.ts';
import { twoLayerSpec } from './two-layer-mlp.ts';
import type { ModelSpec } from './model-spec.ts';

/**
 * The model zoo: name -> spec, a row a model, in the order help texts list
 * them. A model of a family (2-layer, 3-layer, CNN) is a row of the
 * family's parameters; a model with a layout of its own is a file exporting
 * its ModelSpec (see resnet.ts). To add a model, add its row here.
 */
export const MODEL_ZOO: ReadonlyMap<string, ModelSpec> = new Map(
  [
    //           name             hidden     sigmoid output, description
    twoLayerSpec('MLPNet',        'relu',    false, 'Linear(d,H) - ReLU - Linear(H,1), squared loss (paper H = 40960)'),
    twoLayerSpec('MLPProb',       'relu',    true,  'Linear(d,H) - ReLU - Linear(H,1) - sigmoid, binary cross-entropy (paper H = 40960)'),
    twoLayerSpec('MLPLinear',     'linear',  false, 'Linear(d,H) - Linear(H,1), squared loss (paper H = 40960)'),
    twoLayerSpec('MLPLinearProb', 'linear',  true,  'Linear(d,H) - Linear(H,1) - sigmoid, binary cross-entropy (paper H = 40960)'),
    twoLayerSpec('MLPNetSigmoid', 'sigmoid', false, 'Linear(d,H) - sigmoid - Linear(H,1), squared loss (paper H = 40960)'),
    MLPLinear1Layer,
    //             name               hidden    description
    threeLayerSpec('MLPNet3Layer',    'relu',   'Linear(d,H) - ReLU - Linear(H,H) - ReLU - Linear(H,1), squared loss (paper H = 8192)'),
    threeLayerSpec('MLPLinear3Layer', 'linear', 'Linear(d,H) - Linear(H,H) - Linear(H,1), squared loss (paper H = 8192)'),
    ResNet,
    //      name          image layout     description
    cnnSpec('CNN',        'by-channels',   'Conv(20,5x5)-ReLU-MaxPool2 - Conv(50,5x5)-ReLU-MaxPool2 - Linear(.,H)-ReLU - Linear(H,1), squared loss (paper H = 500)'),
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

/** MLPNet, the paper's main model (Linear(d,H) - ReLU - Linear(H,1)). */
export const MLPNet: ModelSpec = getModelSpec('MLPNet');
