/**
 * Test helper (not part of the public API): the 2-layer MLP of method.md
 * section 7 in plain float64 JS, f(x) = a . s(W x + b) + c (optionally a
 * sigmoid on top), with its closed-form gradients. Weights use the
 * TensorFlow.js layout: W is d x H row-major (W[k * H + j]: input k -> unit j).
 */
import type { tf } from '@elasticity/core/tf';
import { lossDerivativeJs } from '../losses.ts';
import type { HiddenActivation, LossKind } from '../models/model-spec.ts';

export interface MlpParams {
  d: number;
  H: number;
  W: Float64Array;
  b: Float64Array;
  a: Float64Array;
  c: number;
  hidden: HiddenActivation;
  sigmoid: boolean;
}

export function readMlpParams(model: tf.LayersModel, hidden: HiddenActivation, sigmoid: boolean): MlpParams {
  const [W, b, a, c] = model.getWeights().map((t) => Float64Array.from(t.dataSync()));
  return { d: W.length / b.length, H: b.length, W, b, a, c: c[0], hidden, sigmoid };
}

function act(hidden: HiddenActivation, v: number): number {
  if (hidden === 'relu') return Math.max(0, v);
  if (hidden === 'sigmoid') return 1 / (1 + Math.exp(-v));
  return v;
}

function slope(hidden: HiddenActivation, v: number): number {
  if (hidden === 'relu') return v > 0 ? 1 : 0;
  if (hidden === 'sigmoid') {
    const s = 1 / (1 + Math.exp(-v));
    return s * (1 - s);
  }
  return 1;
}

/** Output (p for sigmoid models, f otherwise) and the pieces of the forward pass. */
export function forwardJs(m: MlpParams, x: ArrayLike<number>): { h: Float64Array; s: Float64Array; z: number; out: number } {
  const h = Float64Array.from(m.b);
  for (let k = 0; k < m.d; k++) {
    const xk = x[k];
    for (let j = 0; j < m.H; j++) h[j] += xk * m.W[k * m.H + j];
  }
  const s = h.map((v) => act(m.hidden, v));
  let z = m.c;
  for (let j = 0; j < m.H; j++) z += m.a[j] * s[j];
  return { h, s, z, out: m.sigmoid ? 1 / (1 + Math.exp(-z)) : z };
}

function row(x: Float32Array | Float64Array, d: number, i: number): Float64Array {
  return Float64Array.from(x.subarray(i * d, (i + 1) * d));
}

/** Batch-mean loss in float64. */
export function batchLossJs(m: MlpParams, x: Float32Array | Float64Array, y: ArrayLike<number>, loss: LossKind): number {
  let sum = 0;
  for (let i = 0; i < y.length; i++) {
    const out = forwardJs(m, row(x, m.d, i)).out;
    if (loss === 'mse') sum += (out - y[i]) ** 2;
    else {
      const p = Math.min(Math.fround(1 - 1e-7), Math.max(Math.fround(1e-7), out));
      sum -= y[i] * Math.log(p) + (1 - y[i]) * Math.log(1 - p);
    }
  }
  return sum / y.length;
}

/**
 * Closed-form gradient of the batch-mean loss (method.md section 7):
 * (1/n) sum_i l'_i dout_i/dz_i * (grad_a = s(h), grad_c = 1, grad_W = u x^T, grad_b = u),
 * u = a (*) s'(h).
 */
export function batchGradJs(m: MlpParams, x: Float32Array | Float64Array, y: ArrayLike<number>, loss: LossKind) {
  const n = y.length;
  const gW = new Float64Array(m.d * m.H);
  const gb = new Float64Array(m.H);
  const ga = new Float64Array(m.H);
  let gc = 0;
  for (let i = 0; i < n; i++) {
    const xi = row(x, m.d, i);
    const { h, s, out } = forwardJs(m, xi);
    const dz = lossDerivativeJs(loss, out, y[i]) * (m.sigmoid ? out * (1 - out) : 1) / n;
    gc += dz;
    for (let j = 0; j < m.H; j++) {
      ga[j] += dz * s[j];
      const u = m.a[j] * slope(m.hidden, h[j]);
      gb[j] += dz * u;
      for (let k = 0; k < m.d; k++) gW[k * m.H + j] += dz * u * xi[k];
    }
  }
  return { W: gW, b: gb, a: ga, c: gc };
}
