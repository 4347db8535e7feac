import { activate, activationSlope, mlpNetFromDense } from '@elasticity/mlp-engine';
import type { DenseMlp, HiddenActivation, MlpNet } from '@elasticity/mlp-engine';
import type { ProbeLoss } from './probe-loss.ts';

const f = Math.fround;

function sigmoid32(z: number): number {
  return f(1 / (1 + Math.exp(-z)));
}

/** s(h) in float32 arithmetic (h is a float32 value). */
function activate32(kind: HiddenActivation, h: number): number {
  return kind === 'sigmoid' ? sigmoid32(h) : activate(kind, h);
}

function slope32(kind: HiddenActivation, h: number): number {
  if (kind !== 'sigmoid') return activationSlope(kind, h);
  const s = sigmoid32(h);
  return f(s * f(1 - s));
}

/**
 * Float32 dot product of W's row starting at `row` with z (length d), with
 * four float32 partial sums updated by fused multiply-adds (the product of
 * two float32 numbers is exact in float64; each sum is rounded to float32),
 * as a SIMD float32 FMA kernel accumulates.
 */
function dot32(W: Float32Array, row: number, z: Float32Array, d: number): number {
  let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
  let p = 0;
  for (; p + 3 < d; p += 4) {
    s0 = f(s0 + W[row + p] * z[p]);
    s1 = f(s1 + W[row + p + 1] * z[p + 1]);
    s2 = f(s2 + W[row + p + 2] * z[p + 2]);
    s3 = f(s3 + W[row + p + 3] * z[p + 3]);
  }
  for (; p < d; p++) s0 = f(s0 + W[row + p] * z[p]);
  return f(f(s0 + s1) + f(s2 + s3));
}

/**
 * The same dot product with the row of W+ = W - eta (g zOld^T), each entry
 * of W+ rounded to float32 as an optimizer step stores it
 * (W+ = fl(W - fl(eta fl(g zOld)))), applied to the layer's new input zNew.
 */
function steppedDot32(W: Float32Array, row: number, zOld: Float32Array, zNew: Float32Array, d: number, eta: number, g: number): number {
  let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
  let p = 0;
  for (; p + 3 < d; p += 4) {
    s0 = f(s0 + f(W[row + p] - f(eta * f(g * zOld[p]))) * zNew[p]);
    s1 = f(s1 + f(W[row + p + 1] - f(eta * f(g * zOld[p + 1]))) * zNew[p + 1]);
    s2 = f(s2 + f(W[row + p + 2] - f(eta * f(g * zOld[p + 2]))) * zNew[p + 2]);
    s3 = f(s3 + f(W[row + p + 3] - f(eta * f(g * zOld[p + 3]))) * zNew[p + 3]);
  }
  for (; p < d; p++) s0 = f(s0 + f(W[row + p] - f(eta * f(g * zOld[p]))) * zNew[p]);
  return f(f(s0 + s1) + f(s2 + s3));
}

interface Layer32 {
  W: Float32Array;
  b: Float32Array;
  inputs: number;
  units: number;
  activation: HiddenActivation;
}

/** The readout's input in float32: the last layer, or the float32 sum of all layers ('sum'). */
function readin32(net: MlpNet, x: Float32Array, acts: Float32Array[]): Float32Array {
  if (acts.length === 0) return x;
  if (net.readout === 'last') return acts[acts.length - 1];
  const r = new Float32Array(acts[0].length);
  for (const z of acts) for (let k = 0; k < r.length; k++) r[k] = f(r[k] + z[k]);
  return r;
}

/**
 * The change of the model's output at x itself after one SGD step at (x, y),
 * computed the way a float32 framework does it (the authors' PyTorch code):
 * float32 forward, float32 gradient, float32 update w+ = w - eta g, float32
 * forward again, and the difference of the two float32 outputs. Every
 * stored value is rounded with Math.fround. Returns a function of eta; the
 * forward and backward passes at w are done once. Cost O(#weights) per call.
 */
export function float32SelfDeltaNet(net: MlpNet, x: ArrayLike<number>, xOffset: number, y: number, loss: ProbeLoss): (eta: number) => number {
  const layers: Layer32[] = net.layers.map((l) => ({ W: Float32Array.from(l.W), b: Float32Array.from(l.b), inputs: l.inputs, units: l.units, activation: l.activation }));
  const a = Float32Array.from(net.a);
  const c = f(net.c);
  const xi = new Float32Array(net.d);
  for (let p = 0; p < net.d; p++) xi[p] = x[xOffset + p];
  // forward at w
  const pres: Float32Array[] = [];
  const acts: Float32Array[] = [];
  let zin = xi;
  for (const l of layers) {
    const pre = new Float32Array(l.units);
    const act = new Float32Array(l.units);
    for (let k = 0; k < l.units; k++) {
      pre[k] = f(dot32(l.W, k * l.inputs, zin, l.inputs) + l.b[k]);
      act[k] = activate32(l.activation, pre[k]);
    }
    pres.push(pre);
    acts.push(act);
    zin = act;
  }
  const r = readin32(net, xi, acts);
  let z = c;
  for (let k = 0; k < r.length; k++) z = f(z + f(a[k] * r[k]));
  const out = net.sigmoidOutput ? sigmoid32(z) : z;
  const slope = loss === 'mse' ? f(2 * f(out - y)) : f(f(out - y) / f(out * f(1 - out)));
  const gz = net.sigmoidOutput ? f(slope * f(out * f(1 - out))) : slope;
  // backward: gh[l] = gradient of the loss w.r.t. h_l (= w.r.t. b_l); w.r.t. W_l it is gh_k z_{l-1,p}
  const gh: Float32Array[] = [];
  let dz: Float32Array | undefined;
  for (let l = layers.length - 1; l >= 0; l--) {
    const { units, inputs, W, activation } = layers[l];
    const fromReadout = net.readout === 'sum' || l === layers.length - 1;
    const g = new Float32Array(units);
    for (let k = 0; k < units; k++) {
      const up = fromReadout ? (dz ? f(f(gz * a[k]) + dz[k]) : f(gz * a[k])) : dz![k];
      g[k] = f(up * slope32(activation, pres[l][k]));
    }
    gh[l] = g;
    if (l > 0) {
      const next = new Float32Array(inputs);
      for (let k = 0; k < units; k++) {
        if (g[k] === 0) continue;
        for (let p = 0; p < inputs; p++) next[p] = f(next[p] + g[k] * W[k * inputs + p]);
      }
      dz = next;
    }
  }

  return (eta: number): number => {
    const e = f(eta);
    const step = (w: number, g: number): number => f(w - f(e * g));
    const newActs: Float32Array[] = [];
    let zOld: Float32Array = xi, zNew: Float32Array = xi;
    layers.forEach((l, idx) => {
      const act = new Float32Array(l.units);
      for (let k = 0; k < l.units; k++) {
        const g = gh[idx][k];
        // a unit with zero gradient keeps its weights, hence (when its input is unchanged) its value
        const hp = g === 0 && zOld === zNew ? pres[idx][k]
          : f((g === 0 ? dot32(l.W, k * l.inputs, zNew, l.inputs) : steppedDot32(l.W, k * l.inputs, zOld, zNew, l.inputs, e, g)) + step(l.b[k], g));
        act[k] = activate32(l.activation, hp);
      }
      newActs.push(act);
      zOld = acts[idx];
      zNew = act;
    });
    const rNew = readin32(net, xi, newActs);
    let zp = step(c, gz);
    for (let k = 0; k < r.length; k++) zp = f(zp + f(step(a[k], f(gz * r[k])) * rNew[k]));
    const outp = net.sigmoidOutput ? sigmoid32(zp) : zp;
    return f(outp - out);
  };
}

/** float32SelfDeltaNet for a 2-layer DenseMlp. */
export function float32SelfDelta(mlp: DenseMlp, x: ArrayLike<number>, xOffset: number, y: number, loss: ProbeLoss): (eta: number) => number {
  return float32SelfDeltaNet(mlpNetFromDense(mlp), x, xOffset, y, loss);
}
