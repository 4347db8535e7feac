import type { MlpNet } from './mlp-net.ts';
import type { Products } from './products.ts';

/**
 * Bytes the features of n examples hold (mlpNetFeatures with the backward
 * vectors), and the float32 copies Gram products of them make: when the
 * first layer's product runs as float32 blocks the features are k-major
 * float32 (activations, masks and backward vectors: 12 bytes per unit and
 * example), else row-major float64 (pre-activations, activations, backward
 * vectors: 24 bytes) and each of the layer's Gram products transposes its
 * operand to float32 (4 bytes per unit and example, three at a time). An
 * estimate for memory budgets, on the safe side.
 */
export function featureMemoryBytes(net: MlpNet, n: number, products: Pick<Products, 'isFloat32'>): number {
  const units = net.layers.reduce((sum, layer) => sum + layer.units, 0);
  const widest = Math.max(...net.layers.map((layer) => layer.units));
  const first = net.layers[0];
  if (first && products.isFloat32(n, first.units, first.inputs)) return n * units * 12;
  return n * units * 24 + 3 * n * widest * 4;
}
