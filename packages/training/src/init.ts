import { createRng, ElasticityError } from '@elasticity/core';
import { tf } from '@elasticity/core/tf';

/**
 * Fan-in of a kernel in TensorFlow.js layout: Dense [in, out] -> in;
 * Conv2D [kh, kw, in, out] -> kh * kw * in (as PyTorch's fan_in).
 */
export function fanInOf(kernelShape: number[]): number {
  return kernelShape.slice(0, -1).reduce((a, b) => a * b, 1);
}

/** PyTorch's default bound for Linear / Conv weights and biases: 1 / sqrt(fan_in). */
export function initBound(fanIn: number): number {
  return 1 / Math.sqrt(fanIn);
}

/**
 * PyTorch's default initialisation (method.md section 4): every weight and
 * bias of a layer uniform in [-1/sqrt(fan_in), 1/sqrt(fan_in)], fan_in taken
 * from the layer's kernel. Values are drawn from core's seeded RNG
 * (createRng(seed)) layer by layer, kernel before bias, in row-major order of
 * the TensorFlow.js shapes, rounded to float32, and set with model.setWeights.
 * Same seed -> bit-identical weights on every backend.
 */
export function initPyTorchDefault(model: tf.LayersModel, seed: number): void {
  const rng = createRng(seed);
  const values: tf.Tensor[] = [];
  try {
    for (const layer of model.layers) {
      const weights = layer.weights;
      if (weights.length === 0) continue;
      const kernel = weights.find((w) => w.shape.length >= 2);
      if (!kernel) throw new ElasticityError(`layer "${layer.name}" has weights but no kernel to take fan_in from`, { field: 'model' });
      const bound = initBound(fanInOf(kernel.shape as number[]));
      for (const w of weights) {
        const size = (w.shape as number[]).reduce((a, b) => a * b, 1);
        const data = new Float32Array(size);
        for (let i = 0; i < size; i++) data[i] = rng.uniform(-bound, bound);
        values.push(tf.tensor(data, w.shape as number[], 'float32'));
      }
    }
    model.setWeights(values);
  } finally {
    for (const v of values) v.dispose();
  }
}
