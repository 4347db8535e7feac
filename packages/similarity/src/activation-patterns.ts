import { ElasticityError } from '@elasticity/core';
import { tf } from '@elasticity/core/tf';

/** Binary ReLU activation patterns 1[unit > 0] of n examples, packed 32 units per word. */
export interface ReluPatterns {
  n: number;
  /** ReLU units per example, over all ReLU layers. */
  units: number;
  /** Words per example: ceil(units / 32). */
  words: number;
  /** Row-major n x words. */
  bits: Uint32Array;
  /** Active units per example. */
  active: Int32Array;
}

function isRelu(layer: tf.layers.Layer): boolean {
  if (layer.getClassName() === 'ReLU') return true;
  const activation = layer.getConfig().activation;
  return activation === 'relu';
}

/** The layers of a LayersModel whose output is a ReLU (Dense/Conv with relu, Activation('relu'), ReLU). */
export function reluLayers(model: tf.LayersModel): tf.layers.Layer[] {
  return model.layers.filter(isRelu);
}

function popcount(v: number): number {
  v -= (v >>> 1) & 0x55555555;
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
  return (Math.imul((v + (v >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24);
}

/**
 * The ReLU activation patterns of n inputs (row-major n x d, the model's
 * flat input) under `model`: which units of every ReLU layer are positive,
 * concatenated in layer order. Runs the model in batches.
 */
export function reluPatterns(model: tf.LayersModel, x: Float32Array, n: number, d: number, where: { file?: string } = {}, batch = 256): ReluPatterns {
  const layers = reluLayers(model);
  if (layers.length === 0) {
    throw new ElasticityError('the model has no ReLU layer, so it has no ReLU activation patterns (activation-cosine)', { ...where, field: 'modelTopology' });
  }
  const inputShape = model.inputs[0].shape.slice(1);
  const size = inputShape.reduce<number>((p, s) => p * (s ?? NaN), 1);
  if (size !== d) throw new ElasticityError(`model input ${JSON.stringify(inputShape)} takes ${size} values, the examples have ${d}`, { ...where, field: 'modelTopology' });
  const probe = tf.model({ inputs: model.inputs, outputs: layers.map((l) => l.output as tf.SymbolicTensor) });
  const sizes = layers.map((l) => (l.output as tf.SymbolicTensor).shape.slice(1).reduce<number>((p, s) => p * (s ?? 1), 1));
  const units = sizes.reduce((a, b) => a + b, 0);
  const words = Math.ceil(units / 32);
  const bits = new Uint32Array(n * words);
  const active = new Int32Array(n);
  for (let start = 0; start < n; start += batch) {
    const rows = Math.min(batch, n - start);
    const outputs = tf.tidy(() => {
      const input = tf.tensor2d(x.subarray(start * d, (start + rows) * d), [rows, d]).reshape([rows, ...(inputShape as number[])]);
      const out = probe.predict(input);
      return (Array.isArray(out) ? out : [out]).map((t) => t.reshape([rows, -1]).greater(0).dataSync() as Uint8Array);
    });
    for (let r = 0; r < rows; r++) {
      const base = (start + r) * words;
      let unit = 0, count = 0;
      outputs.forEach((flags, l) => {
        const width = sizes[l];
        for (let u = 0; u < width; u++, unit++) {
          if (flags[r * width + u]) {
            bits[base + (unit >>> 5)] |= 1 << (unit & 31);
            count++;
          }
        }
      });
      active[start + r] = count;
    }
  }
  return { n, units, words, bits, active };
}

/**
 * Cosine similarity of binary patterns: |m_i AND m_j| / sqrt(|m_i| |m_j|)
 * (popcounts of packed words). An example with no active unit has
 * similarity 0 to every other example and 1 to itself, which keeps the
 * matrix a valid kernel (unit diagonal, positive semi-definite).
 */
export function patternCosine(p: ReluPatterns): Float64Array {
  const { n, words, bits, active } = p;
  const out = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    out[i * n + i] = 1;
    if (active[i] === 0) continue;
    const bi = i * words;
    for (let j = i + 1; j < n; j++) {
      if (active[j] === 0) continue;
      const bj = j * words;
      let common = 0;
      for (let w = 0; w < words; w++) common += popcount(bits[bi + w] & bits[bj + w]);
      const v = common / Math.sqrt(active[i] * active[j]);
      out[i * n + j] = v;
      out[j * n + i] = v;
    }
  }
  return out;
}
