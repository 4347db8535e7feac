import { ElasticityError } from '@elasticity/core';
import { MLPLinear, MLPLinearProb, MLPNet, MLPProb } from './two-layer-mlp.ts';
import type { ModelSpec } from './model-spec.ts';

/**
 * The model zoo: name -> spec. To add a model, write one file exporting a
 * ModelSpec (see two-layer-mlp.ts) and list it here.
 */
export const MODEL_ZOO: ReadonlyMap<string, ModelSpec> = new Map(
  [MLPNet, MLPProb, MLPLinear, MLPLinearProb].map((spec) => [spec.name, spec]),
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
