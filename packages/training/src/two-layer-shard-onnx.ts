import { openOnnxMatMul } from '@elasticity/core';
import type { OnnxMatMul } from '@elasticity/core';
import type { HiddenActivation } from './models/model-spec.ts';
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
  /** Pending steps' dh (h x columns) and x rows (columns x d; zero where no step of the window wrote). */
  private readonly U: Float32Array;
  private readonly V: Float32Array;
  private pending = 0;
  /** The last forward pass: pre-activations and (sigmoid units) activations (h x n; otherwise S is H), n, and scratch. */
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
    this.S = shape.hidden === 'sigmoid' ? new Float32Array(this.h * this.batch) : this.H;
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
    const { h, d, H } = this;
    const n = batch.n;
    if (n > this.batch) throw new Error(`a step of ${n} examples in a shard made for batches of ${this.batch}`);
    this.n = n;
    if (h === 0) return new Float32Array(n);
    await this.mm.into(this.Wt, batch.xbT, h, d, n, H);
    if (this.pending > 0) {
      // P = V x^T (rows past the pending steps' are zero: V is zero there), then H -= U P
      await this.mm.into(this.V, batch.xbT, this.columns, d, n, this.P);
      await this.mm.into(this.U, this.P, h, this.columns, n, this.correction);
    }
    return hiddenLayer(this.shape.hidden, H, this.pending > 0 ? this.correction : undefined, this.S, this.b, this.a, h, n);
  }

  async update(batch: BatchRows, g: Float32Array): Promise<void> {
    const { h, d, n } = this;
    if (g.length !== n || batch.n !== n) throw new Error(`update of ${g.length} examples after a forward pass of ${n}`);
    if (h === 0) return;
    const at = this.pending * this.batch;
    hiddenStep(this.shape.hidden, this.H, this.S, this.a, this.b, g, this.U, this.columns, at, h, n);
    // the step's x rows; a short step's other rows stay zero (V is zeroed with every window)
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
      subtractInPlace(Wt, G, Wt.length);
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

  /**
   * Wt -= U V, and an empty window: V is zeroed, so that the columns of U
   * no step of the next window has written yet (they hold older steps' dh)
   * meet zero rows of V in U V and U (V x^T).
   */
  private async applyPending(): Promise<void> {
    if (this.pending === 0 || this.h === 0) return;
    subtractInPlace(this.Wt, await this.pendingProduct(), this.Wt.length);
    this.V.fill(0);
    this.pending = 0;
  }
}

/** a[e] -= b[e] for e < count (float32). */
function subtractInPlace(a: Float32Array, b: Float32Array, count: number): void {
  for (let e = 0; e < count; e++) a[e] -= b[e];
}

/**
 * The hidden layer of a forward pass, in place: H (h x n) -= correction
 * (when given) and += b per row (float32, in that order), S = s(H) (for
 * ReLU units S is not written: the update reads H), and the partial outputs
 * z_i = sum_k a_k s(H_ki) (summed in float64, rounded once). One pass over
 * H, one loop per activation and no branch per entry but ReLU's.
 */
function hiddenLayer(hidden: HiddenActivation, H: Float32Array, correction: Float32Array | undefined, S: Float32Array, b: Float32Array, a: Float32Array, h: number, n: number): Float32Array {
  const z = new Float64Array(n);
  const c = correction ?? ZERO;
  const step = correction ? 1 : 0;
  for (let k = 0, e = 0; k < h; k++) {
    const bk = b[k], ak = a[k];
    if (hidden === 'relu') {
      for (let i = 0; i < n; i++, e++) {
        const v = Math.fround(Math.fround(H[e] - c[e * step]) + bk);
        H[e] = v;
        if (v > 0) z[i] += ak * v;
      }
    } else if (hidden === 'sigmoid') {
      for (let i = 0; i < n; i++, e++) {
        const v = Math.fround(Math.fround(H[e] - c[e * step]) + bk);
        H[e] = v;
        const s = Math.fround(1 / (1 + Math.exp(-v)));
        S[e] = s;
        z[i] += ak * s;
      }
    } else {
      for (let i = 0; i < n; i++, e++) {
        const v = Math.fround(Math.fround(H[e] - c[e * step]) + bk);
        H[e] = v;
        z[i] += ak * v;
      }
    }
  }
  return Float32Array.from(z);
}

const ZERO = new Float32Array(1);

/**
 * One step's updates of the units, given g (lr dL/dz per example) and the
 * forward pass's H and S (ReLU units: s(H) from H): dh_ki = a_k g_i s'(H_ki) (float32) goes to
 * columns [at, at + n) of U (row stride `columns`); b_k -= sum_i dh_ki and
 * a_k -= sum_i S_ki g_i (sums in float64, rounded once).
 */
function hiddenStep(hidden: HiddenActivation, H: Float32Array, S: Float32Array, a: Float32Array, b: Float32Array, g: Float32Array, U: Float32Array, columns: number, at: number, h: number, n: number): void {
  for (let k = 0, e = 0; k < h; k++) {
    const ak = a[k];
    const u = k * columns + at;
    let da = 0, db = 0;
    if (hidden === 'relu') {
      for (let i = 0; i < n; i++, e++) {
        const v = H[e];
        let dh = 0;
        if (v > 0) {
          da += v * g[i];
          dh = Math.fround(ak * g[i]);
          db += dh;
        }
        U[u + i] = dh;
      }
    } else if (hidden === 'sigmoid') {
      for (let i = 0; i < n; i++, e++) {
        const s = S[e];
        da += s * g[i];
        const dh = Math.fround(Math.fround(ak * g[i]) * Math.fround(s * Math.fround(1 - s)));
        db += dh;
        U[u + i] = dh;
      }
    } else {
      for (let i = 0; i < n; i++, e++) {
        da += S[e] * g[i];
        const dh = Math.fround(ak * g[i]);
        db += dh;
        U[u + i] = dh;
      }
    }
    b[k] = b[k] - db;
    a[k] = ak - da;
  }
}
