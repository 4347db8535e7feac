import { tf } from '@elasticity/core/tf';
import type { ShardWeights, TwoLayerShape } from './two-layer-shard.ts';

/** A 2-layer Dense MLP's shape and weights in the shards' transposed layout. */
export interface TwoLayerWeights extends TwoLayerShape {
  d: number;
  H: number;
  /** H x d row-major (the kernel transposed). */
  Wt: Float32Array;
  b: Float32Array;
  a: Float32Array;
  c: number;
}

const HIDDEN = ['relu', 'linear', 'sigmoid'];

/**
 * The 2-layer family's layout if `model` is exactly Dense(H, relu|linear|sigmoid)
 * -> Dense(1, linear|sigmoid), both with bias; else undefined.
 */
export function twoLayerShapeOf(model: tf.LayersModel): (TwoLayerShape & { d: number; H: number }) | undefined {
  const layers = model.layers.filter((l) => l.getClassName() !== 'InputLayer');
  if (layers.length !== 2 || layers.some((l) => l.getClassName() !== 'Dense' || l.weights.length !== 2 || l.trainableWeights.length !== 2)) return undefined;
  const [first, second] = layers.map((l) => l.getConfig() as { activation?: string; units?: number });
  if (!HIDDEN.includes(first.activation ?? '') || second.units !== 1 || !['linear', 'sigmoid'].includes(second.activation ?? '')) return undefined;
  const kernel = layers[0].weights[0].shape as number[];
  return { hidden: first.activation as TwoLayerShape['hidden'], sigmoidOutput: second.activation === 'sigmoid', d: kernel[0], H: kernel[1] };
}

export function readTwoLayer(model: tf.LayersModel): TwoLayerWeights | undefined {
  const shape = twoLayerShapeOf(model);
  if (!shape) return undefined;
  const [kernel, b, a, c] = model.getWeights();
  // (never return a large typed array from tf.tidy: tidy walks its result element by element)
  const transposed = tf.transpose(kernel);
  const Wt = transposed.dataSync() as Float32Array;
  transposed.dispose();
  return { ...shape, Wt, b: b.dataSync() as Float32Array, a: a.dataSync() as Float32Array, c: c.dataSync()[0] };
}

/** Hidden units [start, end) of shard k of K: contiguous, sizes differing by at most one. */
export function shardRange(H: number, k: number, K: number): [number, number] {
  return [Math.floor((H * k) / K), Math.floor((H * (k + 1)) / K)];
}

export function shardOf(w: TwoLayerWeights, k: number, K: number): ShardWeights {
  const [start, end] = shardRange(w.H, k, K);
  return { d: w.d, h: end - start, Wt: w.Wt.slice(start * w.d, end * w.d), b: w.b.slice(start, end), a: w.a.slice(start, end) };
}

/** Puts the shards' weights (in order) and c back into the model. */
export function writeTwoLayer(model: tf.LayersModel, shards: ShardWeights[], c: number): void {
  const d = shards[0].d;
  const H = shards.reduce((s, w) => s + w.h, 0);
  const Wt = new Float32Array(H * d);
  const b = new Float32Array(H);
  const a = new Float32Array(H);
  let at = 0;
  for (const w of shards) {
    Wt.set(w.Wt, at * d);
    b.set(w.b, at);
    a.set(w.a, at);
    at += w.h;
  }
  const values = tf.tidy(() => [tf.transpose(tf.tensor2d(Wt, [H, d])), tf.tensor1d(b), tf.tensor2d(a, [H, 1]), tf.tensor1d([c])]);
  model.setWeights(values);
  tf.dispose(values);
}
