import { matMulABt } from '@elasticity/core';
import { activate, activationSlope, sigmoid } from './activation.ts';
import type { DenseMlp } from './dense-mlp.ts';

/** Per-example quantities of a 2-layer MLP, all row-major n x h float64. */
export interface MlpHiddenFeatures {
  n: number;
  /** h(x) = W x + b. */
  pre: Float64Array;
  /** s(h(x)). */
  act: Float64Array;
  /** u = a (*) s'(h(x)) = grad_b f. */
  u: Float64Array;
  /** f before any output sigmoid: a . s(h) + c (length n). */
  logit: Float64Array;
  /** The model's output: sigmoid(logit) when sigmoidOutput, else logit (length n). */
  output: Float64Array;
}

/** Computes the hidden layer of `n` inputs (row-major n x d) in float64 via matMulABt. */
export function mlpHiddenFeatures(mlp: DenseMlp, x: Float32Array | Float64Array, n: number): MlpHiddenFeatures {
  const { h, d, b, a, c } = mlp;
  if (x.length !== n * d) throw new Error(`mlpHiddenFeatures: ${x.length} values for ${n} x ${d}`);
  const pre = matMulABt(x, mlp.W, n, h, d);
  const act = new Float64Array(n * h);
  const u = new Float64Array(n * h);
  const logit = new Float64Array(n);
  const output = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let f = c;
    for (let k = 0; k < h; k++) {
      const q = i * h + k;
      const v = pre[q] + b[k];
      pre[q] = v;
      act[q] = activate(mlp.hidden, v);
      u[q] = a[k] * activationSlope(mlp.hidden, v);
      f += a[k] * act[q];
    }
    logit[i] = f;
    output[i] = mlp.sigmoidOutput ? sigmoid(f) : f;
  }
  return { n, pre, act, u, logit, output };
}
