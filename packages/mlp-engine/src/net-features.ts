import { activationSlope, sigmoid } from './activation.ts';
import { dot, rowNorms } from '@elasticity/core';
import type { MlpLayer, MlpNet } from './mlp-net.ts';
import { readoutWidth } from './mlp-net.ts';
import { FLOAT64_PRODUCTS, sharedFloat64Array } from './products.ts';
import type { Products } from './products.ts';

type Vec = Float32Array | Float64Array;

/** A row-major matrix of the features: always there, or (Lean) absent for the readout layer when it ran as float32 tiles and rowMajor was false. */
type RowMajor<Lean extends boolean> = Lean extends false ? Float64Array : Float64Array | undefined;

/**
 * Per-example quantities of an MlpNet over n examples; matrices row-major
 * n x width, float64. MlpNetFeatures<true> (or <boolean>): what
 * mlpNetFeatures gives with rowMajor false, where the readout layer's
 * row-major matrices (and readin) are absent when it ran as float32 tiles
 * (its k-major copies are there instead).
 */
export interface MlpNetFeatures<Lean extends boolean = false> {
  n: number;
  /** Pre-activations h_l = W_l z_{l-1} + b_l of each hidden layer. */
  pre: Array<RowMajor<Lean>>;
  /** Activations z_l = s(h_l). */
  act: Array<RowMajor<Lean>>;
  /** Backward vectors d logit / d h_l (each example's gradient w.r.t. b_l); present when asked for. */
  back: Array<RowMajor<Lean>>;
  /** The readout's input r (n x readoutWidth). */
  readin: RowMajor<Lean>;
  /** a . r + c. */
  logit: Float64Array;
  /** sigmoid(logit) for a sigmoid output, else logit. */
  output: Float64Array;
  /**
   * Per hidden layer, when its product ran as float32 tiles: float32
   * k-major (units x n) copies of act, of the ReLU mask (when asked for) and
   * of back (the readout layer's), the B^T of later Gram products; and the
   * relative error bound of pre (ReLU: entries with |h| <= 2 bound |z_j| |W_k|
   * were recomputed in float64 and are exact); with `masks`, also |W_k| and
   * the entries near 0 (see LayerForward.nearZero); a ReLU layer's units active at some example (LayerForward.active).
   */
  kMajor?: Array<{ act: Float32Array; mask?: Float32Array; back?: Float32Array; bound: number; wNorm?: Float64Array; nearZero?: Float64Array; active?: Int32Array } | undefined>;
}

/**
 * h = z W^T + b for one layer. With float32 products, entries of a ReLU layer
 * whose sign the product's rounding could have flipped (|h| within the
 * error bound, bound * |z_j| |W_k|) are recomputed in float64, so ReLU masks
 * are always the float64 ones.
 */
export async function layerPreActivations(layer: MlpLayer, z: Vec, n: number, products: Products): Promise<Float64Array> {
  const { inputs, units, W, b } = layer;
  const pre = await products.abt(z, W, n, units, inputs);
  for (let j = 0; j < n; j++) for (let k = 0; k < units; k++) pre[j * units + k] += b[k];
  const bound = products.errorBound(n, units, inputs);
  if (bound > 0 && layer.activation === 'relu') {
    const zn = rowNorms(z, n, inputs), wn = rowNorms(W, units, inputs);
    for (let j = 0; j < n; j++) {
      const scale = 2 * bound * zn[j];
      for (let k = 0; k < units; k++) {
        const q = j * units + k;
        if (Math.abs(pre[q]) <= scale * wn[k]) {
          pre[q] = dot(W, k * inputs, z, j * inputs, inputs) + b[k];
        }
      }
    }
  }
  return pre;
}

export interface MlpNetFeatureOptions {
  backward?: boolean;
  /** ReLU masks k-major and the entries near 0 (what the fast probe uses). */
  masks?: boolean;
  /**
   * false: when the readout layer runs as float32 tiles, keep only its
   * k-major float32 copies, not its n x width float64 pre, act, back (nor
   * readin): what the matrix probe and the NTK of a 2-layer net read.
   * Honoured for readout 'last' unless a backward pass goes through more
   * than one layer (which needs them). Default true.
   */
  rowMajor?: boolean;
}

/**
 * Forward (and optionally backward) pass of an MlpNet over n inputs
 * (row-major n x d), in float64 with the given products.
 */
export async function mlpNetFeatures(net: MlpNet, x: Vec, n: number, products?: Products, options?: MlpNetFeatureOptions & { rowMajor?: true }): Promise<MlpNetFeatures>;
export async function mlpNetFeatures(net: MlpNet, x: Vec, n: number, products: Products, options: MlpNetFeatureOptions): Promise<MlpNetFeatures<boolean>>;
export async function mlpNetFeatures(net: MlpNet, x: Vec, n: number, products: Products = FLOAT64_PRODUCTS, options: MlpNetFeatureOptions = {}): Promise<MlpNetFeatures<boolean>> {
  const { d, layers, a, c } = net;
  if (x.length !== n * d) throw new Error(`mlpNetFeatures: ${x.length} values for ${n} x ${d}`);
  const L = layers.length;
  const leanLast = options.rowMajor === false && net.readout === 'last' && !(options.backward && L > 1);
  const pre: Array<Float64Array | undefined> = [];
  const act: Array<Float64Array | undefined> = [];
  const kMajor: NonNullable<MlpNetFeatures['kMajor']> = [];
  let z: Vec = x;
  let zT: Float32Array | undefined;
  // the readout layer's a . s(h) and a (*) s'(h), when its tiles computed them
  let readoutDot: Float64Array | undefined;
  let lastBack: Float64Array | undefined;
  // whether the readout layer kept only its k-major copies
  let lastKMajorOnly = false;
  for (const [l, layer] of layers.entries()) {
    const last = l === layers.length - 1;
    const fused = await products.layer(layer, z, n, {
      zT, masks: options.masks, nearZero: options.masks, readout: last ? a : undefined, back: last && options.backward, rowMajor: !(last && leanLast),
    });
    if (fused) {
      pre.push(fused.pre);
      act.push(fused.act);
      kMajor[l] = { act: fused.actT, mask: fused.maskT, back: fused.backT, bound: fused.bound, wNorm: fused.wNorm, nearZero: fused.nearZero, active: fused.active };
      if (last) {
        readoutDot = fused.readoutDot;
        lastBack = fused.back;
        lastKMajorOnly = leanLast;
      }
      // (the next layer's input: row-major unless this is the last layer)
      z = fused.act!;
      zT = fused.actT;
      continue;
    }
    const h = await layerPreActivations(layer, z, n, products);
    const s = sharedFloat64Array(h.length);
    if (layer.activation === 'relu') for (let q = 0; q < h.length; q++) s[q] = h[q] > 0 ? h[q] : 0;
    else if (layer.activation === 'linear') s.set(h);
    else for (let q = 0; q < h.length; q++) s[q] = sigmoid(h[q]);
    pre.push(h);
    act.push(s);
    kMajor[l] = undefined;
    z = s;
    zT = undefined;
  }
  const R = readoutWidth(net);
  let readin: Float64Array | undefined;
  if (layers.length === 0) readin = Float64Array.from(x);
  else if (net.readout === 'last') readin = act[act.length - 1];
  else {
    readin = new Float64Array(n * R);
    for (const s of act) for (let q = 0; q < n * R; q++) readin[q] += s![q];
  }
  const logit = new Float64Array(n);
  const output = new Float64Array(n);
  const useDot = readoutDot !== undefined && net.readout === 'last';
  for (let j = 0; j < n; j++) {
    let f = c;
    if (useDot) f += readoutDot![j];
    else for (let k = 0; k < R; k++) f += a[k] * readin![j * R + k];
    logit[j] = f;
    output[j] = net.sigmoidOutput ? sigmoid(f) : f;
  }
  const back: Array<Float64Array | undefined> = [];
  if (options.backward) {
    // dz_l: gradient of the logit w.r.t. z_l; starts as a at the readout's input(s)
    let dz: Float64Array | undefined;
    for (let l = layers.length - 1; l >= 0; l--) {
      const { units, activation } = layers[l];
      if (l === layers.length - 1 && lastKMajorOnly) {
        // (only with one hidden layer: nothing further back needs it) its back k-major only
        back[l] = undefined;
        continue;
      }
      let g: Float64Array;
      if (l === layers.length - 1 && lastBack) g = lastBack;
      else {
        g = sharedFloat64Array(n * units);
        const fromReadout = net.readout === 'sum' || l === layers.length - 1;
        for (let j = 0; j < n; j++) {
          for (let k = 0; k < units; k++) {
            const q = j * units + k;
            const up = (fromReadout ? a[k] : 0) + (dz ? dz[q] : 0);
            g[q] = up * activationSlope(activation, pre[l]![q]);
          }
        }
      }
      back[l] = g;
      dz = l > 0 ? await products.ab(g, layers[l].W, n, units, layers[l].inputs) : undefined;
    }
  }
  return { n, pre, act, back, readin, logit, output, ...(kMajor.some((v) => v) ? { kMajor } : {}) };
}

/** Rows `rows` of a row-major matrix with `width` columns (the matrix itself, not a copy, when rows are 0, 1, ..., all). */
export function gatherRows<T extends Vec>(m: T, width: number, rows: ArrayLike<number>): T | Float64Array {
  if (rows.length * width === m.length && Array.prototype.every.call(rows, (v: number, i: number) => v === i)) return m;
  const out = new Float64Array(rows.length * width);
  for (let r = 0; r < rows.length; r++) for (let p = 0; p < width; p++) out[r * width + p] = m[rows[r] * width + p];
  return out;
}
