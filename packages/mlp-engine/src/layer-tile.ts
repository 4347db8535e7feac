import { dot } from '@elasticity/core';
import { activate, activationSlope } from './activation.ts';
import type { HiddenActivation } from './dense-mlp.ts';
import type { Float32MatMul } from './float32-kernel.ts';

type Vec = Float32Array | Float64Array;

/**
 * Units [u0, u1) of one dense layer over n examples, as one job of the
 * float32 product pool: h = W z + b with float32 K-blocks summed in float64,
 * entries of a ReLU layer within the products' error bound of 0 recomputed
 * in float64 (so ReLU masks are the float64 ones), then s(h) and what later
 * Gram products need, written straight into shared outputs: k-major
 * (units x n) float32 s(h), ReLU mask and back = a (*) s'(h) (the readout
 * layer's), this tile's part of a . s(h) per example, and, only when the
 * caller keeps them, row-major (n x units) float64 h, s(h) and back.
 * The outputs must be zero-filled (as fresh arrays are).
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
  /** k-major float32 outputs: s(h), and the ReLU mask 1[h > 0] when given. */
  actT: Float32Array;
  maskT?: Float32Array;
  /** The readout weights when this layer feeds the readout: readoutParts (and backT, back when given) are then written. */
  readout?: Float64Array;
  backT?: Float32Array;
  /** Row-major float64 outputs, when the caller keeps them: h and s(h) (both or neither), and back. */
  pre?: Float64Array;
  act?: Float64Array;
  back?: Float64Array;
  /** Receives |W_u| for this tile's units (units), when given. */
  wNorm?: Float64Array;
  /** With a ReLU layer: return the entries with |h| <= 2 zone (zone = 2 bound |z_j| |W_u|, inside which h is the float64 value) as pairs (j units + u, h). */
  nearZero?: boolean;
  /** (tiles x n): row `tile` receives sum over this tile's units of readout_u s(h_ju). */
  readoutParts?: Float64Array;
  /** ReLU layers (units): set to 1 for the units of this tile active at some example. */
  active?: Uint8Array;
  tile: number;
}

/** h - b = W z for units [u0, u0 + U) (unit-major U x n): float32 K-blocks, the one block's float32 result itself or float64 sums of several. */
async function tileProduct(matMul: Float32MatMul, W: Float64Array, zT: Float32Array, u0: number, U: number, inputs: number, n: number, blockK: number): Promise<Float32Array | Float64Array> {
  let sum: Float32Array | Float64Array | undefined;
  const ablk = new Float32Array(U * Math.min(blockK, inputs));
  for (let k0 = 0; k0 < inputs; k0 += blockK) {
    const kb = Math.min(blockK, inputs - k0);
    const ab = ablk.subarray(0, U * kb);
    for (let u = 0; u < U; u++) {
      const src = (u0 + u) * inputs + k0;
      ab.set(W.subarray(src, src + kb), u * kb);
    }
    const v = await matMul(ab, zT.subarray(k0 * n, (k0 + kb) * n), U, kb, n);
    if (!sum) sum = v;
    else {
      if (sum instanceof Float32Array) sum = Float64Array.from(sum);
      for (let q = 0; q < U * n; q++) sum[q] += v[q];
    }
  }
  return sum ?? new Float32Array(U * n);
}

/** A growing list of (index, value) pairs. */
class PairList {
  private data = new Float64Array(1024);
  private length = 0;
  push(q: number, v: number): void {
    if (this.length + 2 > this.data.length) {
      const grown = new Float64Array(this.data.length * 2);
      grown.set(this.data);
      this.data = grown;
    }
    this.data[this.length++] = q;
    this.data[this.length++] = v;
  }
  /** The pairs in a buffer of their own (transferable). */
  take(): Float64Array {
    return this.data.slice(0, this.length);
  }
}

/**
 * A ReLU pre-activation h (float32 product + bias b) checked near the kink:
 * within `zone` of 0 it is recomputed in float64 (W row . z row + b), and
 * within 2 zone it goes on the near-zero list under `key`.
 */
function recheckNearZero(h: number, zone: number, W: Float64Array, wrow: number, z: Vec, zrow: number, inputs: number, b: number, near: PairList | undefined, key: number): number {
  const m = Math.abs(h);
  if (m > 2 * zone) return h;
  const checked = m <= zone ? dot(W, wrow, z, zrow, inputs) + b : h;
  if (near && Math.abs(checked) <= 2 * zone) near.push(key, checked);
  return checked;
}

export async function runLayerTile(matMul: Float32MatMul, job: LayerTileJob): Promise<Float64Array | undefined> {
  const { z, zT, zNorm, W, b, activation, n, units, inputs, u0, u1, blockK, bound, actT, maskT, readout, backT, pre, act, back, readoutParts } = job;
  const U = u1 - u0;
  const blocks = await tileProduct(matMul, W, zT, u0, U, inputs, n, blockK);
  const relu = activation === 'relu';
  const recheck = bound > 0 && relu;
  const near = recheck && job.nearZero ? new PairList() : undefined;
  // h in float64 (unit-major, as the tile), kept only for the row-major outputs
  const hs = pre && act ? new Float64Array(U * n) : undefined;
  const parts = readoutParts ? readoutParts.subarray(job.tile * n, (job.tile + 1) * n) : undefined;
  // unit by unit: bias, float64 recomputation near 0, the k-major outputs, the readout's part
  for (let u = 0; u < U; u++) {
    const unit = u0 + u;
    const bu = b[unit];
    const wrow = unit * inputs;
    let reach = 0;
    if (recheck) {
      const wn = Math.sqrt(dot(W, wrow, W, wrow, inputs));
      reach = 2 * bound * wn;
      if (job.wNorm) job.wNorm[unit] = wn;
    }
    const au = readout ? readout[unit] : 0;
    const o = u * n, t = unit * n;
    if (relu && !hs && parts) {
      // only k-major outputs (what the fast probe and the NTK ask for), in a loop of its own: only active units
      // are written (the outputs are zero-filled); measured: the whole fast probe at width 40960 takes 3.78 s
      // with it, 4.10 s through the general loop below
      let on = 0;
      for (let j = 0; j < n; j++) {
        let h = blocks[o + j] + bu;
        if (recheck) h = recheckNearZero(h, reach * zNorm[j], W, wrow, z, j * inputs, inputs, bu, near, j * units + unit);
        if (h > 0) {
          actT[t + j] = h;
          if (maskT) maskT[t + j] = 1;
          if (backT) backT[t + j] = au;
          parts[j] += au * h;
          on = 1;
        }
      }
      if (job.active) job.active[unit] = on;
      continue;
    }
    let anyOn = 0;
    for (let j = 0; j < n; j++) {
      let h = blocks[o + j] + bu;
      if (recheck) h = recheckNearZero(h, reach * zNorm[j], W, wrow, z, j * inputs, inputs, bu, near, j * units + unit);
      if (hs) hs[o + j] = h;
      if (relu) {
        const on = h > 0;
        if (on) anyOn = 1;
        actT[t + j] = on ? h : 0;
        if (maskT) maskT[t + j] = on ? 1 : 0;
        if (backT) backT[t + j] = on ? au : 0;
        if (parts && on) parts[j] += au * h;
      } else {
        const v = activate(activation, h);
        actT[t + j] = v;
        if (backT) backT[t + j] = au * activationSlope(activation, h);
        if (parts) parts[j] += au * v;
      }
    }
    if (job.active) job.active[unit] = anyOn;
  }
  if (hs) {
    // example by example (in blocks of 16, to read the tile cache-friendly): the row-major outputs
    const JB = 16;
    for (let j0 = 0; j0 < n; j0 += JB) {
      const j1 = Math.min(n, j0 + JB);
      for (let u = 0; u < U; u++) {
        const unit = u0 + u;
        const au = readout ? readout[unit] : 0;
        for (let j = j0; j < j1; j++) {
          const h = hs[u * n + j];
          const q = j * units + unit;
          pre![q] = h;
          act![q] = activate(activation, h);
          if (back) back[q] = relu ? (h > 0 ? au : 0) : au * activationSlope(activation, h);
        }
      }
    }
  }
  return near?.take();
}
