/**
 * Helpers for this package's tests only (not exported from index.ts):
 * random small MLPs, explicit parameter gradients, tfjs models with given weights.
 */
import { tf } from '@elasticity/core/tf';
import type { Rng } from '@elasticity/core';
import type { DenseMlp, HiddenActivation, MlpNet } from '@elasticity/mlp-engine';

export function randomMlp(rng: Rng, d: number, h: number, hidden: HiddenActivation, sigmoidOutput: boolean, scale = 1): DenseMlp {
  // float32-representable weights, so tfjs models hold exactly the same numbers
  const u = (s: number) => Math.fround(rng.uniform(-s, s));
  return {
    d, h, hidden, sigmoidOutput,
    W: Float64Array.from({ length: h * d }, () => u(scale / Math.sqrt(d))),
    b: Float64Array.from({ length: h }, () => u(scale / Math.sqrt(d))),
    a: Float64Array.from({ length: h }, () => u(scale / Math.sqrt(h))),
    c: u(scale / Math.sqrt(h)),
  };
}

export function randomInputs(rng: Rng, n: number, d: number): Float32Array {
  return Float32Array.from({ length: n * d }, () => rng.uniform(-1, 1));
}

function s(kind: HiddenActivation, v: number): number {
  return kind === 'relu' ? Math.max(v, 0) : kind === 'linear' ? v : 1 / (1 + Math.exp(-v));
}

function ds(kind: HiddenActivation, v: number): number {
  if (kind === 'relu') return v > 0 ? 1 : 0;
  if (kind === 'linear') return 1;
  const e = 1 / (1 + Math.exp(-v));
  return e * (1 - e);
}

/** Hidden pre-activations and output of one example, float64. */
export function forward64(mlp: DenseMlp, x: ArrayLike<number>, off: number): { h: number[]; z: number; out: number } {
  const h: number[] = [];
  let z = mlp.c;
  for (let k = 0; k < mlp.h; k++) {
    let v = mlp.b[k];
    for (let p = 0; p < mlp.d; p++) v += mlp.W[k * mlp.d + p] * x[off + p];
    h.push(v);
    z += mlp.a[k] * s(mlp.hidden, v);
  }
  return { h, z, out: mlp.sigmoidOutput ? 1 / (1 + Math.exp(-z)) : z };
}

/** grad_w of the model output at one example, over (W, b, a, c), written out by the chain rule. */
export function outputGradient(mlp: DenseMlp, x: ArrayLike<number>, off: number): Float64Array {
  const { h, out } = forward64(mlp, x, off);
  const scale = mlp.sigmoidOutput ? out * (1 - out) : 1;
  const g = new Float64Array(mlp.h * mlp.d + 2 * mlp.h + 1);
  let q = 0;
  for (let k = 0; k < mlp.h; k++) for (let p = 0; p < mlp.d; p++) g[q++] = scale * mlp.a[k] * ds(mlp.hidden, h[k]) * x[off + p];
  for (let k = 0; k < mlp.h; k++) g[q++] = scale * mlp.a[k] * ds(mlp.hidden, h[k]);
  for (let k = 0; k < mlp.h; k++) g[q++] = scale * s(mlp.hidden, h[k]);
  g[q] = scale;
  return g;
}

/** Empirical NTK <grad f(x_i), grad f(x_j)> from explicit gradients (n x n). */
export function gradientNtk(mlp: DenseMlp, x: ArrayLike<number>, n: number): Float64Array {
  const grads = Array.from({ length: n }, (_, i) => outputGradient(mlp, x, i * mlp.d));
  const K = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) K[i * n + j] = grads[i].reduce((acc, v, q) => acc + v * grads[j][q], 0);
  return K;
}

/** A tf.sequential Dense -> Dense model holding exactly the MLP's weights. */
export function mlpToModel(mlp: DenseMlp): tf.LayersModel {
  const model = tf.sequential({
    layers: [
      tf.layers.dense({ inputShape: [mlp.d], units: mlp.h, activation: mlp.hidden }),
      tf.layers.dense({ units: 1, activation: mlp.sigmoidOutput ? 'sigmoid' : 'linear' }),
    ],
  });
  const kernel = new Float32Array(mlp.d * mlp.h);
  for (let k = 0; k < mlp.h; k++) for (let p = 0; p < mlp.d; p++) kernel[p * mlp.h + k] = mlp.W[k * mlp.d + p];
  model.setWeights([
    tf.tensor2d(kernel, [mlp.d, mlp.h]), tf.tensor1d(Float32Array.from(mlp.b)),
    tf.tensor2d(Float32Array.from(mlp.a), [mlp.h, 1]), tf.tensor1d([mlp.c]),
  ]);
  return model;
}

export { rowRelativeError } from '@elasticity/core/testing';


/** Explicit float64 gradient of the model output w.r.t. every weight (layers' W, b, then a, c), by the chain rule. */
export function netOutputGradient(net: MlpNet, x: ArrayLike<number>, off: number): Float64Array {
  const zs: Float64Array[] = [Float64Array.from({ length: net.d }, (_, p) => x[off + p])];
  const hs: Float64Array[] = [];
  for (const l of net.layers) {
    const z = zs[zs.length - 1];
    const h = Float64Array.from({ length: l.units }, (_, k) => {
      let v = l.b[k];
      for (let p = 0; p < l.inputs; p++) v += l.W[k * l.inputs + p] * z[p];
      return v;
    });
    hs.push(h);
    zs.push(h.map((v) => s(l.activation, v)));
  }
  const L = net.layers.length;
  const r = L === 0 ? zs[0] : net.readout === 'sum' ? zs.slice(1).reduce((acc, z) => acc.map((v, k) => v + z[k])) : zs[L];
  let logit = net.c;
  r.forEach((v, k) => (logit += net.a[k] * v));
  const p = 1 / (1 + Math.exp(-logit));
  const scale = net.sigmoidOutput ? p * (1 - p) : 1;
  const parts: number[][] = [];
  let dz: Float64Array | undefined;
  for (let l = L - 1; l >= 0; l--) {
    const layer = net.layers[l];
    const top = net.readout === 'sum' || l === L - 1;
    const g = Float64Array.from({ length: layer.units }, (_, k) => ((top ? net.a[k] : 0) + (dz ? dz[k] : 0)) * ds(layer.activation, hs[l][k]));
    const gw: number[] = [];
    for (let k = 0; k < layer.units; k++) for (let q = 0; q < layer.inputs; q++) gw.push(g[k] * zs[l][q]);
    parts[l] = [...gw, ...g];
    dz = new Float64Array(layer.inputs);
    for (let k = 0; k < layer.units; k++) for (let q = 0; q < layer.inputs; q++) dz[q] += g[k] * layer.W[k * layer.inputs + q];
  }
  return Float64Array.from([...parts.flat(), ...r, 1], (v) => v * scale);
}

/** Empirical NTK rows x all from explicit gradients. */
export function netGradientNtk(net: MlpNet, x: ArrayLike<number>, n: number): Float64Array {
  const grads = Array.from({ length: n }, (_, i) => netOutputGradient(net, x, i * net.d));
  const K = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) K[i * n + j] = grads[i].reduce((acc, v, q) => acc + v * grads[j][q], 0);
  return K;
}

export { randomNet, zooNets, netToModel } from '@elasticity/mlp-engine';
