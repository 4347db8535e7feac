import { activate, activationSlope } from '@elasticity/core';
import type { DenseMlp } from '@elasticity/core';
import type { ProbeLoss } from './probe-loss.ts';

const f = Math.fround;

function sigmoid32(z: number): number {
  return f(1 / (1 + Math.exp(-z)));
}

/** s(h) in float32 arithmetic (h is a float32 value). */
function activate32(kind: DenseMlp['hidden'], h: number): number {
  return kind === 'sigmoid' ? sigmoid32(h) : activate(kind, h);
}

function slope32(kind: DenseMlp['hidden'], h: number): number {
  if (kind !== 'sigmoid') return activationSlope(kind, h);
  const s = sigmoid32(h);
  return f(s * f(1 - s));
}

/**
 * Float32 dot product of W's row starting at `row` with x (length d), with
 * four float32 partial sums updated by fused multiply-adds (the product of
 * two float32 numbers is exact in float64; each sum is rounded to float32),
 * as a SIMD float32 FMA kernel accumulates.
 */
function dot32(W: Float32Array, row: number, x: Float32Array, d: number): number {
  let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
  let p = 0;
  for (; p + 3 < d; p += 4) {
    s0 = f(s0 + W[row + p] * x[p]);
    s1 = f(s1 + W[row + p + 1] * x[p + 1]);
    s2 = f(s2 + W[row + p + 2] * x[p + 2]);
    s3 = f(s3 + W[row + p + 3] * x[p + 3]);
  }
  for (; p < d; p++) s0 = f(s0 + W[row + p] * x[p]);
  return f(f(s0 + s1) + f(s2 + s3));
}

/**
 * The same dot product with the row of W+ = W - eta (g x^T), each entry of
 * W+ rounded to float32 as an optimizer step stores it: W+ = fl(W - fl(eta fl(g x))).
 */
function steppedDot32(W: Float32Array, row: number, x: Float32Array, d: number, eta: number, g: number): number {
  let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
  let p = 0;
  for (; p + 3 < d; p += 4) {
    const x0 = x[p], x1 = x[p + 1], x2 = x[p + 2], x3 = x[p + 3];
    s0 = f(s0 + f(W[row + p] - f(eta * f(g * x0))) * x0);
    s1 = f(s1 + f(W[row + p + 1] - f(eta * f(g * x1))) * x1);
    s2 = f(s2 + f(W[row + p + 2] - f(eta * f(g * x2))) * x2);
    s3 = f(s3 + f(W[row + p + 3] - f(eta * f(g * x3))) * x3);
  }
  for (; p < d; p++) s0 = f(s0 + f(W[row + p] - f(eta * f(g * x[p]))) * x[p]);
  return f(f(s0 + s1) + f(s2 + s3));
}

/**
 * The change of the model's output at x itself after one SGD step at (x, y),
 * computed the way a float32 framework does it (the authors' PyTorch code):
 * float32 forward, float32 gradient, float32 update w+ = w - eta g, float32
 * forward again, and the difference of the two float32 outputs. Every
 * stored value is rounded with Math.fround. Returns a function of eta; the
 * forward at w is done once. Cost O(H d) per call.
 */
export function float32SelfDelta(mlp: DenseMlp, x: ArrayLike<number>, xOffset: number, y: number, loss: ProbeLoss): (eta: number) => number {
  const { d, h, hidden } = mlp;
  const W = Float32Array.from(mlp.W);
  const b = Float32Array.from(mlp.b);
  const a = Float32Array.from(mlp.a);
  const c = f(mlp.c);
  const xi = new Float32Array(d);
  for (let p = 0; p < d; p++) xi[p] = x[xOffset + p];
  const pre = new Float32Array(h);
  const act = new Float32Array(h);
  let z = c;
  for (let k = 0; k < h; k++) {
    pre[k] = f(dot32(W, k * d, xi, d) + b[k]);
    act[k] = activate32(hidden, pre[k]);
    z = f(z + f(a[k] * act[k]));
  }
  const out = mlp.sigmoidOutput ? sigmoid32(z) : z;
  const slope = loss === 'mse' ? f(2 * f(out - y)) : f(f(out - y) / f(out * f(1 - out)));
  const gz = mlp.sigmoidOutput ? f(slope * f(out * f(1 - out))) : slope;
  // gradient of the loss w.r.t. h (= w.r.t. b); w.r.t. W it is gh_k x_p
  const gh = new Float32Array(h);
  for (let k = 0; k < h; k++) gh[k] = f(f(gz * a[k]) * slope32(hidden, pre[k]));

  return (eta: number): number => {
    const e = f(eta);
    const step = (w: number, g: number): number => f(w - f(e * g));
    let zp = step(c, gz);
    for (let k = 0; k < h; k++) {
      // a unit with zero gradient keeps its weights, hence its value
      const hp = gh[k] === 0 ? pre[k] : f(steppedDot32(W, k * d, xi, d, e, gh[k]) + step(b[k], gh[k]));
      const ap = step(a[k], f(gz * act[k]));
      zp = f(zp + f(ap * activate32(hidden, hp)));
    }
    const outp = mlp.sigmoidOutput ? sigmoid32(zp) : zp;
    return f(outp - out);
  };
}
