import type { HiddenActivation } from './models/model-spec.ts';

/**
 * A slice of the hidden units of a 2-layer MLP f(x) = a . s(W x + b) + c,
 * in transposed layout: Wt is h x d row-major (row k: the weights into
 * hidden unit k), so the forward product is Wt @ x^T and the weight gradient
 * dh^T @ x, both plain products with a small right operand.
 */
export interface ShardWeights {
  d: number;
  h: number;
  Wt: Float32Array;
  b: Float32Array;
  a: Float32Array;
}

export interface TwoLayerShape {
  hidden: HiddenActivation;
  sigmoidOutput: boolean;
}

/** One SGD step's examples: xb (n x d row-major) and its transpose xbT (d x n). */
export interface BatchRows {
  n: number;
  xb: Float32Array;
  xbT: Float32Array;
}

/** Which kernel computes a 2-layer shard's steps: TensorFlow.js (two-layer-shard-tfjs.ts) or ONNX Runtime's MatMul (two-layer-shard-onnx.ts). */
export type ShardKernel = 'tfjs' | 'onnx';

/**
 * Hidden units [start, end) of the model: one worker's share in the
 * unit-split training of the 2-layer family (method.md section 7 gives the
 * gradients). Its partial outputs z_k = a_k . s(h_k) summed over all shards
 * plus c are the model's pre-activation output; given g = lr * dL/dz it
 * updates its own units exactly as SGD on the whole model would:
 * a -= s(h)^T g, dh = (a g^T) (*) s'(h), Wt -= dh x, b -= sum_i dh.
 */
export interface TwoLayerShard {
  readonly d: number;
  readonly h: number;
  readonly kernel: ShardKernel;
  /** Partial outputs a_k . s(W_k x_i + b_k) of the batch; keeps h and s for `update`. */
  forward(batch: BatchRows): Promise<Float32Array>;
  /** One SGD step of this shard's units, g = lr * dL/dz per example of the batch given to `forward`. */
  update(batch: BatchRows, g: Float32Array): Promise<void>;
  /** Called after an epoch's last step: the weights then hold every step of the epoch. */
  endEpoch(): Promise<void>;
  /** The current weights (copies). */
  weights(): Promise<ShardWeights>;
  dispose(): Promise<void>;
}

/** The batch's rows of x (n x d row-major) and their transpose, copied in JavaScript. */
export function batchRowsOf(x: Float32Array, d: number, rows: Int32Array): BatchRows {
  const n = rows.length;
  const xb = new Float32Array(n * d);
  const xbT = new Float32Array(d * n);
  for (let i = 0; i < n; i++) {
    const row = x.subarray(rows[i] * d, rows[i] * d + d);
    xb.set(row, i * d);
    for (let p = 0; p < d; p++) xbT[p * n + i] = row[p];
  }
  return { n, xb, xbT };
}
