/**
 * Test helper: a small instance of every zoo model (width 3-5, tiny images
 * for the CNNs) with PyTorch-default init and a batch that fits it.
 */
import { createRng } from '@elasticity/core';
import { tf } from '@elasticity/core/tf';
import { initPyTorchDefault } from '../init.ts';
import { MODEL_ZOO } from '../models/zoo.ts';
import type { ModelSpec } from '../models/model-spec.ts';

export const SMALL_SHAPES: Record<string, number[]> = { CNN: [1, 16, 16], CNNCifar10: [3, 16, 16] };

export interface SmallCase {
  spec: ModelSpec;
  model: tf.LayersModel;
  d: number;
  x: Float32Array;
  y: Float32Array;
}

export function smallCase(spec: ModelSpec, n: number, seed: number, width = 4): SmallCase {
  const inputShape = SMALL_SHAPES[spec.name] ?? [5];
  const d = inputShape.reduce((a, b) => a * b, 1);
  const model = spec.build({ inputShape, width });
  initPyTorchDefault(model, seed);
  const rng = createRng(seed + 100);
  return {
    spec, model, d,
    x: Float32Array.from({ length: n * d }, () => rng.uniform(-1, 1)),
    y: Float32Array.from({ length: n }, (_, i) => (i % 3 === 0 ? 1 : 0)),
  };
}

export function allSpecs(): ModelSpec[] {
  return [...MODEL_ZOO.values()];
}
