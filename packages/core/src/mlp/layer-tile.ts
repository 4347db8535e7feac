import { dot } from '../linalg/gemm.ts';
import { activate, activationSlope } from './activation.ts';
import type { HiddenActivation } from './dense-mlp.ts';
import type { MatMulBackend } from './float32-blocks.ts';

type Vec = Float32Array | Float64Array;

/**
 * Units [u0, u1) of one dense layer over n examples, as one job of the
 * float32 product pool: h = W z + b with float32 K-blocks summed in float64,
 * entries of a ReLU layer within the products' error bound of 0 recomputed
 * in float64 (so ReLU masks are the float64 ones), then s(h) and what later
 * Gram products need, written straight into shared outputs:
 * row-major (n x units) float64 pre and act (and back = a (*) s'(h) for the
 * readout layer), k-major (units x n) float32 act, ReLU mask and back, and
 * this tile's part of a . act per example.
 */
export interface LayerTileJob {
  kind: 'layer';
  /** Layer input, row-major n x inputs, and the same k-major in float32 (inputs x n). */
  z: Vec;
  zT: Float32Array;
  /** Euclidean norm of each example's input (n). */
  zNorm: Float64Array;
  W: Float64Array;
  b: Float64Array;
  activation: HiddenActivation;
  n: number;
  units: number;
  inputs: number;
  u0: number;
  u1: number;
  blockK: number;
  /** Relative error bound of the float32 products (0: nothing is recomputed). */
  bound: number;
  pre: Float64Array;
  act: Float64Array;
  actT?: Float32Array;
  maskT?: Float32Array;
  /** The readout weights when this layer feeds the readout: back, backT and readoutParts are then written. */
  readout?: Float64Array;
  back?: Float64Array;
  backT?: Float32Array;
  /** Receives |W_u| for this tile's units (units), when given. */
  wNorm?: Float64Array;
  /** With a ReLU layer: return the entries with |h| <= 2 zone (zone = 2 bound |z_j| |W_u|, inside which h is the float64 value) as pairs (j units + u, h). */
  nearZero?: boolean;
  /** (tiles x n): row `tile` receives sum over this tile's units of readout_u act_ju. */
  readoutParts?: Float64Array;
  tile: number;
}

export function runLayerTile(tf: MatMulBackend, job: LayerTileJob): Float64Array | undefined {
  const { z, zT, zNorm, W, b, activation, n, units, inputs, u0, u1, blockK, bound, pre, act, actT, maskT, readout, back, backT, readoutParts } = job;
  const U = u1 - u0;
  // the float32 blocks' sum: the one block's float32 result itself, or float64 sums of several
  let sum: Float32Array | Float64Array | undefined;
  const ablk = new Float32Array(U * Math.min(blockK, inputs));
  for (let k0 = 0; k0 < inputs; k0 += blockK) {
    const kb = Math.min(blockK, inputs - k0);
    const ab = ablk.subarray(0, U * kb);
    for (let u = 0; u < U; u++) {
      const src = (u0 + u) * inputs + k0;
      ab.set(W.subarray(src, src + kb), u * kb);
    }
    const c = tf.tidy(() => tf.matMul(tf.tensor2d(ab, [U, kb]), tf.tensor2d(zT.subarray(k0 * n, (k0 + kb) * n), [kb, n])));
    const v = c.dataSync() as Float32Array;
    c.dispose();
    if (!sum) sum = v;
    else {
      if (sum instanceof Float32Array) sum = Float64Array.from(sum);
      for (let q = 0; q < U * n; q++) sum[q] += v[q];
    }
  }
  const blocks = sum ?? new Float32Array(U * n);
  // h in float64 (unit-major, as the tile)
  const acc = new Float64Array(U * n);
  const relu = activation === 'relu';
  const recheck = bound > 0 && relu;
  const near: number[] | undefined = recheck && job.nearZero ? [] : undefined;
  // s(h) for the other activations (ReLU: h itself where h > 0)
  const sv = relu ? acc : new Float64Array(U * n);
  // unit by unit: bias, float64 recomputation near 0, the k-major outputs
  for (let u = 0; u < U; u++) {
    const unit = u0 + u;
    const bu = b[unit];
    const wrow = unit * inputs;
    let reach = 0;
    if (recheck) {
      let w2 = 0;
      for (let p = 0; p < inputs; p++) w2 += W[wrow + p] * W[wrow + p];
      reach = 2 * bound * Math.sqrt(w2);
      if (job.wNorm) job.wNorm[unit] = Math.sqrt(w2);
    }
    const au = readout ? readout[unit] : 0;
    const o = u * n, t = unit * n;
    for (let j = 0; j < n; j++) {
      let h = blocks[o + j] + bu;
      if (recheck) {
        const zone = reach * zNorm[j];
        if (Math.abs(h) <= zone) h = dot(W, wrow, z, j * inputs, inputs) + bu;
        if (near && Math.abs(h) <= 2 * zone) near.push(j * units + unit, h);
      }
      acc[o + j] = h;
    }
    if (relu) {
      for (let j = 0; j < n; j++) {
        const h = acc[o + j];
        const on = h > 0;
        if (actT) actT[t + j] = on ? h : 0;
        if (maskT) maskT[t + j] = on ? 1 : 0;
        if (backT) backT[t + j] = on ? au : 0;
      }
    } else {
      for (let j = 0; j < n; j++) {
        const h = acc[o + j];
        const v = activate(activation, h);
        sv[o + j] = v;
        if (actT) actT[t + j] = v;
        if (backT) backT[t + j] = au * activationSlope(activation, h);
      }
    }
  }
  // example by example (in blocks of 16, to read the tile cache-friendly): the row-major outputs and the readout's part
  const parts = readoutParts ? readoutParts.subarray(job.tile * n, (job.tile + 1) * n) : undefined;
  const JB = 16;
  for (let j0 = 0; j0 < n; j0 += JB) {
    const j1 = Math.min(n, j0 + JB);
    for (let u = 0; u < U; u++) {
      const unit = u0 + u;
      const au = readout ? readout[unit] : 0;
      const o = u * n;
      for (let j = j0; j < j1; j++) {
        const h = acc[o + j];
        const q = j * units + unit;
        pre[q] = h;
        if (relu) {
          const on = h > 0;
          act[q] = on ? h : 0;
          if (back) back[q] = on ? au : 0;
          if (parts && on) parts[j] += au * h;
        } else {
          const v = sv[o + j];
          act[q] = v;
          if (back) back[q] = au * activationSlope(activation, h);
          if (parts) parts[j] += au * v;
        }
      }
    }
  }
  return near ? Float64Array.from(near) : undefined;
}
