import { tf } from '@elasticity/core/tf';
import type { BatchRows, ShardWeights, TwoLayerShape, TwoLayerShard } from './two-layer-shard.ts';

/** A 2-layer shard whose steps run on the TensorFlow.js backend (wasm: SIMD matMul in the worker's thread). */
export class TfjsTwoLayerShard implements TwoLayerShard {
  readonly kernel = 'tfjs' as const;
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

  async forward(batch: BatchRows): Promise<Float32Array> {
    this.release();
    if (this.h === 0) return new Float32Array(batch.n);
    const [hT, sT, z] = tf.tidy(() => {
      const h = tf.add(tf.matMul(this.Wt, tf.tensor2d(batch.xbT, [this.d, batch.n])), this.b) as tf.Tensor2D;
      const s = this.activate(h);
      return [h, s, tf.matMul(tf.reshape(this.a, [1, this.h]) as tf.Tensor2D, s)];
    });
    this.hT = hT;
    this.sT = sT;
    const out = z.dataSync() as Float32Array;
    z.dispose();
    return out;
  }

  async update(batch: BatchRows, g: Float32Array): Promise<void> {
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
      const xb = tf.tensor2d(batch.xb, [n, this.d]);
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

  async endEpoch(): Promise<void> {}

  async weights(): Promise<ShardWeights> {
    return {
      d: this.d, h: this.h,
      Wt: this.Wt.dataSync() as Float32Array, b: this.b.dataSync() as Float32Array, a: this.a.dataSync() as Float32Array,
    };
  }

  async dispose(): Promise<void> {
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
