import { activate, activationSlope, cloneMlpNet, mlpNetFromDense, readoutWidth } from '@elasticity/mlp-engine';
import type { DenseMlp, MlpNet } from '@elasticity/mlp-engine';
import { lossSlope } from './probe-loss.ts';
import type { ProbeLoss } from './probe-loss.ts';
import { allIndices } from './probe-result.ts';
import type { ProbeExamples, ProbeMode, ProbeResult } from './probe-result.ts';

interface Pass {
  /** Inputs of each hidden layer (z_0 = x, ...) and the pre-activations. */
  inputs: Float64Array[];
  pre: Float64Array[];
  readin: Float64Array;
  out: number;
}

/** Plain float64 forward pass of one example. */
function forward(net: MlpNet, x: ArrayLike<number>, off: number): Pass {
  let z: Float64Array = Float64Array.from({ length: net.d }, (_, p) => x[off + p]);
  const inputs: Float64Array[] = [];
  const pre: Float64Array[] = [];
  const acts: Float64Array[] = [];
  for (const l of net.layers) {
    inputs.push(z);
    const h = new Float64Array(l.units);
    for (let k = 0; k < l.units; k++) {
      let v = l.b[k];
      for (let p = 0; p < l.inputs; p++) v += l.W[k * l.inputs + p] * z[p];
      h[k] = v;
    }
    pre.push(h);
    z = h.map((v) => activate(l.activation, v));
    acts.push(z);
  }
  let readin: Float64Array = z;
  if (net.readout === 'sum' && acts.length > 1) readin = acts.reduce((s, v) => s.map((t, k) => t + v[k]));
  let logit = net.c;
  for (let k = 0; k < readin.length; k++) logit += net.a[k] * readin[k];
  return { inputs, pre, readin, out: net.sigmoidOutput ? 1 / (1 + Math.exp(-logit)) : logit };
}

/** w <- w - scale * grad_w logit at the example of `pass` (explicit backpropagation). */
function step(net: MlpNet, pass: Pass, scale: number): void {
  const L = net.layers.length;
  const aOld = Float64Array.from(net.a);
  for (let k = 0; k < readoutWidth(net); k++) net.a[k] -= scale * pass.readin[k];
  net.c -= scale;
  let dz: Float64Array | undefined;
  for (let l = L - 1; l >= 0; l--) {
    const layer = net.layers[l];
    const g = new Float64Array(layer.units);
    const fromReadout = net.readout === 'sum' || l === L - 1;
    for (let k = 0; k < layer.units; k++) g[k] = ((fromReadout ? aOld[k] : 0) + (dz ? dz[k] : 0)) * activationSlope(layer.activation, pass.pre[l][k]);
    // gradient w.r.t. this layer's input, with the weights before the step
    const next = new Float64Array(layer.inputs);
    for (let k = 0; k < layer.units; k++) for (let p = 0; p < layer.inputs; p++) next[p] += g[k] * layer.W[k * layer.inputs + p];
    for (let k = 0; k < layer.units; k++) {
      layer.b[k] -= scale * g[k];
      for (let p = 0; p < layer.inputs; p++) layer.W[k * layer.inputs + p] -= scale * g[k] * pass.inputs[l][p];
    }
    dz = next;
  }
}

/**
 * Probing by the definition, in plain float64, for any model of the MLP
 * family: for each probed example, the explicit gradient of the output,
 * the SGD step w+ = w - eta l' grad_w f, a full forward pass of every
 * measured example at w+, and the difference from the outputs before the
 * step. 'reset' starts every probe from the given weights; 'online' keeps
 * each step (one SGD epoch over the probed examples, batch size 1).
 * O(#weights) per (row, example): the ground truth for tests and
 * benchmarks. Returns the weights after the last step too.
 */
export function referenceNetProbe(
  net0: MlpNet, ex: ProbeExamples, loss: ProbeLoss, eta: number | ArrayLike<number>, mode: ProbeMode = 'reset',
): { result: ProbeResult; net: MlpNet } {
  const { x, rows } = ex;
  const columns = ex.columns ?? allIndices(ex.n);
  const n = columns.length;
  const d = net0.d;
  let net = cloneMlpNet(net0);
  const delta = new Float64Array(rows.length * n);
  const self = new Float64Array(rows.length);
  const etas = new Float64Array(rows.length);
  const slopes = new Float64Array(rows.length);
  rows.forEach((i, r) => {
    if (mode === 'reset') net = cloneMlpNet(net0);
    const before = columns.map((j) => forward(net, x, j * d).out);
    const pass = forward(net, x, i * d);
    const stepSize = typeof eta === 'number' ? eta : eta[r];
    const slope = lossSlope(loss, pass.out, ex.targets[i]);
    const dOut = net.sigmoidOutput ? pass.out * (1 - pass.out) : 1;
    step(net, pass, stepSize * slope * dOut);
    columns.forEach((j, c) => (delta[r * n + c] = forward(net, x, j * d).out - before[c]));
    self[r] = forward(net, x, i * d).out - pass.out;
    etas[r] = stepSize;
    slopes[r] = slope;
  });
  return { result: { rows, columns, n, delta, self, eta: etas, lossSlope: slopes, invisibleRows: [] }, net };
}

/** referenceNetProbe (reset mode) of a 2-layer DenseMlp. */
export function referenceMlpProbe(mlp: DenseMlp, ex: ProbeExamples, loss: ProbeLoss, eta: number | ArrayLike<number>): ProbeResult {
  return referenceNetProbe(mlpNetFromDense(mlp), ex, loss, eta).result;
}
