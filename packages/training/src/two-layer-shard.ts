import { tf } from '@elasticity/core/tf';
import type { HiddenActivation } from './models/model-spec.ts';

/**
 * A slice of the hidden units of a 2-layer MLP f(x) = a . s(W x + b) + c,
 * in transposed layout: Wt is h x d row-major (row k: the weights into
 * hidden unit k), so the forward product is Wt @ x^T and the weight gradient
 * dh^T @ x, both plain products with a small right operand (fast on wasm).
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

/**
 * Hidden units [start, end) of the model: one worker's share in the
 * unit-split training of the 2-layer family (method.md section 7 gives the
 * gradients). Its partial outputs z_k = a_k . s(h_k) summed over all shards
 * plus c are the model's pre-activation output; given g = lr * dL/dz it
 * updates its own units exactly as SGD on the whole model would:
 * a -= s(h)^T g, dh = (a g^T) (*) s'(h), Wt -= dh x, b -= sum_i dh.
 */
export class TwoLayerShard {
  private Wt: tf.Tensor2D;
  private b: tf.Tensor2D;
  private a: tf.Tensor2D;
  private hT: tf.Tensor2D | undefined;
  private sT: tf.Tensor2D | undefined;
  readonly d: number;
  readonly h: number;

  constructor(weights: ShardWeights, private readonly shape: TwoLayerShape) {
    this.d = weights.d;
    this.h = weights.h;
    this.Wt = tf.tensor2d(weights.Wt, [weights.h, weights.d]);
    this.b = tf.tensor2d(weights.b, [weights.h, 1]);
    this.a = tf.tensor2d(weights.a, [weights.h, 1]);
  }

  /** Partial outputs a_k . s(W_k x_i + b_k) of the batch (xbT: d x n); keeps h and s for `update`. */
  forward(xbT: tf.Tensor2D): Float32Array {
    this.release();
    if (this.h === 0) return new Float32Array(xbT.shape[1]);
    const [hT, sT, z] = tf.tidy(() => {
      const h = tf.add(tf.matMul(this.Wt, xbT), this.b) as tf.Tensor2D;
      const s = this.activate(h);
      return [h, s, tf.matMul(tf.reshape(this.a, [1, this.h]) as tf.Tensor2D, s)];
    });
    this.hT = hT;
    this.sT = sT;
    const out = z.dataSync() as Float32Array;
    z.dispose();
    return out;
  }

  /** One SGD step of this shard's units, g = lr * dL/dz per example of the batch (xb: n x d). */
  update(xb: tf.Tensor2D, g: Float32Array): void {
    if (this.h === 0) return;
    const hT = this.hT!;
    const sT = this.sT!;
    const n = g.length;
    const [Wt, b, a] = tf.tidy(() => {
      const gRow = tf.tensor2d(g, [1, n]);
      const da = tf.matMul(sT, tf.reshape(gRow, [n, 1]) as tf.Tensor2D);
      let dh = tf.mul(this.a, gRow) as tf.Tensor2D; // h x n outer product
      if (this.shape.hidden === 'relu') dh = tf.mul(dh, tf.step(hT));
      else if (this.shape.hidden === 'sigmoid') dh = tf.mul(dh, tf.mul(sT, tf.sub(1, sT)));
      return [tf.sub(this.Wt, tf.matMul(dh, xb)), tf.sub(this.b, tf.sum(dh, 1, true)), tf.sub(this.a, da)] as tf.Tensor2D[];
    });
    this.Wt.dispose();
    this.b.dispose();
    this.a.dispose();
    this.Wt = Wt;
    this.b = b;
    this.a = a;
    this.release();
  }

  weights(): ShardWeights {
    return {
      d: this.d, h: this.h,
      Wt: this.Wt.dataSync() as Float32Array, b: this.b.dataSync() as Float32Array, a: this.a.dataSync() as Float32Array,
    };
  }

  /** True when every weight is finite. */
  finite(): boolean {
    return tf.tidy(() => [this.Wt, this.b, this.a].every((t) => t.size === 0 || tf.all(tf.isFinite(t)).dataSync()[0] === 1));
  }

  dispose(): void {
    this.release();
    this.Wt.dispose();
    this.b.dispose();
    this.a.dispose();
  }

  private activate(h: tf.Tensor2D): tf.Tensor2D {
    if (this.shape.hidden === 'relu') return tf.relu(h);
    if (this.shape.hidden === 'sigmoid') return tf.sigmoid(h);
    return h;
  }

  private release(): void {
    if (this.hT && this.hT !== this.sT) this.hT.dispose();
    this.sT?.dispose();
    this.hT = undefined;
    this.sT = undefined;
  }
}
