import type { DenseMlp } from '@elasticity/core';
import { lossSlope } from './probe-loss.ts';
import type { ProbeLoss } from './probe-loss.ts';
import type { ProbeExamples, ProbeResult } from './probe-result.ts';

interface Weights {
  W: Float64Array;
  b: Float64Array;
  a: Float64Array;
  c: number;
}

function s(kind: DenseMlp['hidden'], v: number): number {
  if (kind === 'relu') return Math.max(v, 0);
  if (kind === 'linear') return v;
  return 1 / (1 + Math.exp(-v));
}

function ds(kind: DenseMlp['hidden'], v: number): number {
  if (kind === 'relu') return v > 0 ? 1 : 0;
  if (kind === 'linear') return 1;
  const e = 1 / (1 + Math.exp(-v));
  return e * (1 - e);
}

/** Full float64 forward pass of one example: hidden pre-activations and the output. */
function forward(mlp: DenseMlp, w: Weights, x: ArrayLike<number>, off: number): { h: Float64Array; out: number } {
  const h = new Float64Array(mlp.h);
  let z = w.c;
  for (let k = 0; k < mlp.h; k++) {
    let v = w.b[k];
    for (let p = 0; p < mlp.d; p++) v += w.W[k * mlp.d + p] * x[off + p];
    h[k] = v;
    z += w.a[k] * s(mlp.hidden, v);
  }
  return { h, out: mlp.sigmoidOutput ? 1 / (1 + Math.exp(-z)) : z };
}

/**
 * Probing by the definition, in plain float64, for the 2-layer MLP: for
 * each probed example, the explicit gradient of the output, the SGD step
 * w+ = w - eta l' grad_w f, a full forward pass of every example at w+, and
 * the difference from the outputs at w. O(H d) per (row, example): the
 * ground truth for tests and benchmarks, not for production sizes.
 */
export function referenceMlpProbe(mlp: DenseMlp, ex: ProbeExamples, loss: ProbeLoss, eta: number | ArrayLike<number>): ProbeResult {
  const { n, x, rows } = ex;
  const { d, h } = mlp;
  const w0: Weights = { W: mlp.W, b: mlp.b, a: mlp.a, c: mlp.c };
  const base = Array.from({ length: n }, (_, j) => forward(mlp, w0, x, j * d).out);
  const delta = new Float64Array(rows.length * n);
  const etas = new Float64Array(rows.length);
  const slopes = new Float64Array(rows.length);
  rows.forEach((i, r) => {
    const step = typeof eta === 'number' ? eta : eta[r];
    const { h: hi, out } = forward(mlp, w0, x, i * d);
    const slope = lossSlope(loss, out, ex.targets[i]);
    // d output / d logit
    const dOut = mlp.sigmoidOutput ? out * (1 - out) : 1;
    const scale = step * slope * dOut;
    const w: Weights = { W: new Float64Array(mlp.W), b: new Float64Array(mlp.b), a: new Float64Array(mlp.a), c: mlp.c - scale };
    for (let k = 0; k < h; k++) {
      const u = mlp.a[k] * ds(mlp.hidden, hi[k]);
      w.a[k] -= scale * s(mlp.hidden, hi[k]);
      w.b[k] -= scale * u;
      for (let p = 0; p < d; p++) w.W[k * d + p] -= scale * u * x[i * d + p];
    }
    for (let j = 0; j < n; j++) delta[r * n + j] = forward(mlp, w, x, j * d).out - base[j];
    etas[r] = step;
    slopes[r] = slope;
  });
  return { rows, n, delta, eta: etas, lossSlope: slopes };
}
