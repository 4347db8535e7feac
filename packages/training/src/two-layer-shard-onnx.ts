import { openOnnxMatMul } from '@elasticity/mlp-engine';
import type { OnnxMatMul } from '@elasticity/mlp-engine';
import type { BatchRows, ShardWeights, TwoLayerShape, TwoLayerShard } from './two-layer-shard.ts';

/** Settings of a 2-layer shard on ONNX Runtime. */
export interface OnnxShardArgs {
  /** Examples per step (an epoch's last step may have fewer). */
  batch: number;
  /**
   * Columns of the deferred weight update (default DEFER_COLUMNS): the
   * updates of w = max(1, floor(deferColumns / batch)) steps are added to
   * Wt in one product of inner size w x batch.
   */
  deferColumns?: number;
  /** Threads of ONNX Runtime's MatMul (default 1). */
  threads?: number;
}

/**
 * Default of OnnxShardArgs.deferColumns: 8 steps of batch 50. Measured on
 * the training's shapes (20480 units x 784 inputs, one MLAS thread): a
 * product of inner size 50 runs at about 15 GFLOP/s, of inner size 400 at
 * 30-35, and the correction of each forward pass (below) grows with w.
 */
export const DEFER_COLUMNS = 400;

/**
 * A 2-layer shard whose products run on ONNX Runtime's MatMul (MLAS, on
 * `threads` threads), with deferred weight updates. A step's update of the first
 * layer, Wt -= dh xb (inner size: the batch), is a product MLAS runs slowly;
 * instead the last w steps' dh (h x batch each) and xb (batch x d) are kept
 * side by side in U (h x w batch) and V (w batch x d), and Wt -= U V runs
 * once per w steps. In between, each forward pass uses the weights with
 * every pending step applied, in exact arithmetic the same:
 *   (Wt - U V) x^T = Wt x^T - U (V x^T)
 * so the steps are those of plain SGD; only float32 rounding differs from
 * updating Wt at every step. The bias, the output weights and c are updated
 * at every step. The window restarts at every epoch (endEpoch applies the
 * pending steps), so the weights after an epoch do not depend on when they
 * are read. Elementwise work runs in JavaScript, in float32 like the
 * TensorFlow.js shard, except that sums over the batch and over the units
 * are taken in float64 and rounded once.
 */
export class OnnxTwoLayerShard implements TwoLayerShard {
  readonly kernel = 'onnx' as const;
  readonly d: number;
  readonly h: number;
  private readonly Wt: Float32Array;
  private readonly b: Float32Array;
  private readonly a: Float32Array;
  private readonly batch: number;
  /** Steps per window, and the window's columns (window x batch). */
  private readonly window: number;
  private readonly columns: number;
  /** Pending steps' dh (h x columns) and x rows (columns x d); zero where no step wrote. */
  private readonly U: Float32Array;
  private readonly V: Float32Array;
  private pending = 0;
  /** The last forward pass: pre-activations and activations (h x n), n, and scratch. */
  private readonly H: Float32Array;
  private readonly S: Float32Array;
  private readonly P: Float32Array;
  private readonly correction: Float32Array;
  private n = 0;
  private G: Float32Array | undefined;

  private constructor(weights: ShardWeights, private readonly shape: TwoLayerShape, args: OnnxShardArgs, private readonly mm: OnnxMatMul) {
    this.d = weights.d;
    this.h = weights.h;
    this.Wt = Float32Array.from(weights.Wt);
    this.b = Float32Array.from(weights.b);
    this.a = Float32Array.from(weights.a);
    this.batch = args.batch;
    this.window = Math.max(1, Math.floor((args.deferColumns ?? DEFER_COLUMNS) / args.batch));
    this.columns = this.window * this.batch;
    this.U = new Float32Array(this.h * this.columns);
    this.V = new Float32Array(this.columns * this.d);
    this.H = new Float32Array(this.h * this.batch);
    this.S = shape.hidden === 'linear' ? this.H : new Float32Array(this.h * this.batch);
    this.P = new Float32Array(this.columns * this.batch);
    this.correction = new Float32Array(this.h * this.batch);
  }

  /** A shard on ONNX Runtime; undefined when onnxruntime-node is not installed. */
  static async open(weights: ShardWeights, shape: TwoLayerShape, args: OnnxShardArgs): Promise<OnnxTwoLayerShard | undefined> {
    if (!(Number.isInteger(args.batch) && args.batch > 0)) throw new Error(`batch must be a positive integer, got ${args.batch}`);
    const mm = await openOnnxMatMul(args.threads ?? 1);
    return mm && new OnnxTwoLayerShard(weights, shape, args, mm);
  }

  async forward(batch: BatchRows): Promise<Float32Array> {
    const { h, d, H, S } = this;
    const n = batch.n;
    if (n > this.batch) throw new Error(`a step of ${n} examples in a shard made for batches of ${this.batch}`);
    this.n = n;
    const z = new Float64Array(n);
    if (h === 0) return new Float32Array(n);
    await this.mm.into(this.Wt, batch.xbT, h, d, n, H);
    if (this.pending > 0) {
      // P = V x^T (rows past the pending steps' are zero: V is zero there), then H -= U P
      await this.mm.into(this.V, batch.xbT, this.columns, d, n, this.P);
      await this.mm.into(this.U, this.P, h, this.columns, n, this.correction);
      for (let e = 0; e < h * n; e++) H[e] -= this.correction[e];
    }
    const hidden = this.shape.hidden;
    for (let k = 0; k < h; k++) {
      const bk = this.b[k], ak = this.a[k];
      for (let i = 0, e = k * n; i < n; i++, e++) {
        const v = Math.fround(H[e] + bk);
        H[e] = v;
        const s = hidden === 'relu' ? (v > 0 ? v : 0) : hidden === 'sigmoid' ? Math.fround(1 / (1 + Math.exp(-v))) : v;
        S[e] = s;
        z[i] += ak * s;
      }
    }
    return Float32Array.from(z);
  }

  async update(batch: BatchRows, g: Float32Array): Promise<void> {
    const { h, d, n, H, S, U, columns } = this;
    if (g.length !== n || batch.n !== n) throw new Error(`update of ${g.length} examples after a forward pass of ${n}`);
    if (h === 0) return;
    const hidden = this.shape.hidden;
    const at = this.pending * this.batch;
    for (let k = 0; k < h; k++) {
      const ak = this.a[k];
      let da = 0, db = 0;
      for (let i = 0, e = k * n; i < n; i++, e++) {
        const s = S[e];
        da += s * g[i];
        let dh = Math.fround(ak * g[i]);
        if (hidden === 'relu') dh = H[e] > 0 ? dh : 0;
        else if (hidden === 'sigmoid') dh = Math.fround(dh * Math.fround(s * Math.fround(1 - s)));
        db += dh;
        U[k * columns + at + i] = dh;
      }
      this.b[k] = this.b[k] - db;
      this.a[k] = ak - da;
    }
    this.V.set(batch.xb.subarray(0, n * d), at * d);
    if (++this.pending === this.window) await this.applyPending();
  }

  async endEpoch(): Promise<void> {
    await this.applyPending();
  }

  async weights(): Promise<ShardWeights> {
    const Wt = Float32Array.from(this.Wt);
    if (this.pending > 0) {
      const G = await this.pendingProduct();
      for (let e = 0; e < Wt.length; e++) Wt[e] -= G[e];
    }
    return { d: this.d, h: this.h, Wt, b: Float32Array.from(this.b), a: Float32Array.from(this.a) };
  }

  async dispose(): Promise<void> {
    await this.mm.release();
  }

  /** U V: the pending steps' update of Wt. */
  private async pendingProduct(): Promise<Float32Array> {
    this.G ??= new Float32Array(this.h * this.d);
    await this.mm.into(this.U, this.V, this.h, this.columns, this.d, this.G);
    return this.G;
  }

  /** Wt -= U V, and an empty window. */
  private async applyPending(): Promise<void> {
    if (this.pending === 0 || this.h === 0) return;
    const G = await this.pendingProduct();
    const Wt = this.Wt;
    for (let e = 0; e < Wt.length; e++) Wt[e] -= G[e];
    this.U.fill(0);
    this.V.fill(0);
    this.pending = 0;
  }
}
