import { dot } from '@elasticity/core';
import { activate, activationSlope, cloneMlpNet, FLOAT64_PRODUCTS, mlpNetFeatures, readoutWidth, sigmoid, sigmoidDifference } from '@elasticity/mlp-engine';
import type { HiddenActivation, MlpNet, MlpNetFeatures, Products } from '@elasticity/mlp-engine';
import { chooseEta } from './eta.ts';
import type { EtaSetting } from './eta.ts';
import { lossSlope } from './probe-loss.ts';
import type { ProbeLoss } from './probe-loss.ts';
import { allIndices } from './probe-result.ts';
import type { ProbeExamples, ProbeMode, ProbeResult } from './probe-result.ts';

export interface NetProbeOptions {
  mode?: ProbeMode;
  products?: Products;
  /** Features of all examples at the starting weights (computed when absent). */
  features?: MlpNetFeatures;
  onRow?: () => void;
  where?: { file?: string; field?: string };
}

/** s(h + dh) - s(h) without subtracting two large numbers. */
function activationChange(kind: HiddenActivation, h: number, dh: number): number {
  if (kind === 'linear') return dh;
  if (kind === 'sigmoid') return sigmoidDifference(h, dh);
  const hp = h + dh;
  if (h > 0) return hp > 0 ? dh : -h;
  return hp > 0 ? hp : 0;
}

/** Gradient of the logit w.r.t. each hidden layer's pre-activations at example i. */
function backwardAt(net: MlpNet, F: MlpNetFeatures, i: number): Float64Array[] {
  const L = net.layers.length;
  const g: Float64Array[] = [];
  let dz: Float64Array | undefined;
  for (let l = L - 1; l >= 0; l--) {
    const { units, inputs, W, activation } = net.layers[l];
    const fromReadout = net.readout === 'sum' || l === L - 1;
    const v = new Float64Array(units);
    for (let k = 0; k < units; k++) v[k] = ((fromReadout ? net.a[k] : 0) + (dz ? dz[k] : 0)) * activationSlope(activation, F.pre[l][i * units + k]);
    g[l] = v;
    if (l > 0) {
      const next = new Float64Array(inputs);
      for (let k = 0; k < units; k++) if (v[k] !== 0) for (let p = 0; p < inputs; p++) next[p] += v[k] * W[k * inputs + p];
      dz = next;
    }
  }
  return g;
}

/**
 * The exact change of the logit at examples `cols` (default all, in
 * order) after one SGD step at example i with e = eta l'_i dOutput/dlogit_i,
 * layer by layer, each change built term by term (never as a difference
 * of two outputs):
 *   dh_1(x_j) = -e (x_i.x_j + 1) g_1            (rank one: no pass through layer 1)
 *   dz_l = s(h_l + dh_l) - s(h_l)                 (exact per activation)
 *   dh_l = W_l dz_{l-1} - e g_l (z_{l-1,i}.(z_{l-1,j} + dz_{l-1,j}) + 1)
 *   dlogit = a.dr - e (r_i.(r_j + dr_j) + 1)
 * (g_l = d logit / d h_l at x_i). Returns the changes of each layer too
 * (rows in the order of cols; online updates use all examples).
 */
async function stepChanges(net: MlpNet, F: MlpNetFeatures, x: Float32Array | Float64Array, i: number, e: number, products: Products, cols?: number[]) {
  const N = cols ? cols.length : F.n;
  const col = cols ? (t: number) => cols[t] : (t: number) => t;
  const L = net.layers.length;
  const g = backwardAt(net, F, i);
  const dPre: Float64Array[] = [];
  const dAct: Float64Array[] = [];
  let zPrev: Float32Array | Float64Array = x;
  let dzPrev: Float64Array | undefined;
  for (let l = 0; l < L; l++) {
    const { units, inputs, activation } = net.layers[l];
    const dh = dzPrev ? await products.abt(dzPrev, net.layers[l].W, N, units, inputs) : new Float64Array(N * units);
    for (let t = 0; t < N; t++) {
      const j = col(t);
      let s = dot(zPrev, i * inputs, zPrev, j * inputs, inputs) + 1;
      if (dzPrev) s += dot(zPrev, i * inputs, dzPrev, t * inputs, inputs);
      const coef = -e * s;
      for (let k = 0; k < units; k++) dh[t * units + k] += coef * g[l][k];
    }
    const dz = new Float64Array(N * units);
    const pre = F.pre[l];
    for (let t = 0; t < N; t++) {
      const o = col(t) * units;
      for (let k = 0; k < units; k++) dz[t * units + k] = activationChange(activation, pre[o + k], dh[t * units + k]);
    }
    dPre.push(dh);
    dAct.push(dz);
    zPrev = F.act[l];
    dzPrev = dz;
  }
  const R = readoutWidth(net);
  let dr: Float64Array | undefined;
  if (L > 0) {
    if (net.readout === 'last') dr = dAct[L - 1];
    else {
      dr = new Float64Array(N * R);
      for (const dz of dAct) for (let q = 0; q < N * R; q++) dr[q] += dz[q];
    }
  }
  const dLogit = new Float64Array(N);
  for (let t = 0; t < N; t++) {
    const j = col(t);
    let s = dot(F.readin, i * R, F.readin, j * R, R) + 1;
    let adr = 0;
    if (dr) {
      s += dot(F.readin, i * R, dr, t * R, R);
      adr = dot(net.a, 0, dr, t * R, R);
    }
    dLogit[t] = adr - e * s;
  }
  return { g, dPre, dAct, dLogit };
}

/**
 * Exact probes of any model of the MLP family, layer by layer (see
 * stepChanges), for every example of `ex.x` at once; float64 throughout
 * (deeper layers' products W_l dz through `products`). 'reset': every step
 * starts from the same weights; 'online': each step is kept (weights and
 * cached features updated exactly), so after all rows the weights are those
 * of one SGD epoch over the probed examples in order, batch size 1.
 * Returns the weights after the last step.
 */
export async function layerwiseNetProbe(
  net0: MlpNet, ex: ProbeExamples, loss: ProbeLoss, eta: EtaSetting | ArrayLike<number>, options: NetProbeOptions = {},
): Promise<{ result: ProbeResult; net: MlpNet }> {
  const mode = options.mode ?? 'reset';
  const products = options.products ?? FLOAT64_PRODUCTS;
  const { x, n: N, rows } = ex;
  const columns = ex.columns ?? allIndices(N);
  const net = mode === 'online' ? cloneMlpNet(net0) : net0;
  const F = options.features ?? (await mlpNetFeatures(net, x, N, products));
  if (mode === 'online' && options.features) throw new Error('layerwiseNetProbe: online mode updates its own features; do not pass them');
  const [recStart, recEnd] = mode === 'online' && ex.record ? ex.record : [0, rows.length];
  const nr = recEnd - recStart;
  const n = columns.length;
  const delta = new Float64Array(nr * n);
  const self = new Float64Array(nr);
  const etas = new Float64Array(nr);
  const slopes = new Float64Array(nr);
  const invisibleRows: number[] = [];
  for (let t = 0; t < recEnd; t++) {
    const i = rows[t];
    const r = t - recStart;
    const y = ex.targets[i];
    const out = F.output[i];
    const q = net.sigmoidOutput ? sigmoid(-F.logit[i]) : 1 - out;
    const slope = lossSlope(loss, out, y, q);
    const stepOf = (h: number): number => h * slope * (net.sigmoidOutput ? out * q : 1);
    const outputChange = (j: number, dz: number): number => (net.sigmoidOutput ? sigmoidDifference(F.logit[j], dz) : dz);
    // the authors' search: the change at x_i alone for each step it tries
    const selfChange = async (h: number): Promise<number> => outputChange(i, (await stepChanges(net, F, x, i, stepOf(h), products, [i])).dLogit[0]);
    const chosen = typeof eta === 'number' || eta === 'authors'
      ? await chooseEta(eta, out, selfChange, options.where)
      : { eta: eta[t], invisible: false };
    const stepSize = chosen.eta;
    const e = stepOf(stepSize);
    const ch = await stepChanges(net, F, x, i, e, products);
    const change = (j: number): number => outputChange(j, ch.dLogit[j]);
    if (r >= 0) {
      for (let c = 0; c < n; c++) delta[r * n + c] = change(columns[c]);
      self[r] = change(i);
      etas[r] = stepSize;
      slopes[r] = slope;
      if (chosen.invisible) invisibleRows.push(r);
      options.onRow?.();
    }
    if (mode === 'online') applyStep(net, F, x, i, e, ch);
  }
  const recorded = rows.slice(recStart, recEnd);
  return { result: { rows: recorded, columns, n, delta, self, eta: etas, lossSlope: slopes, invisibleRows }, net };
}

/** Keeps one step: w <- w - e grad_w logit(x_i), and the cached features move by their exact changes. */
function applyStep(net: MlpNet, F: MlpNetFeatures, x: ArrayLike<number>, i: number, e: number, ch: Awaited<ReturnType<typeof stepChanges>>): void {
  const N = F.n;
  const R = readoutWidth(net);
  const ri = F.readin.slice(i * R, (i + 1) * R);
  net.layers.forEach((layer, l) => {
    const { units, inputs, W, b } = layer;
    const z = l === 0 ? x : F.act[l - 1];
    const zi = Float64Array.from({ length: inputs }, (_, p) => z[i * inputs + p]);
    for (let k = 0; k < units; k++) {
      const gk = e * ch.g[l][k];
      if (gk === 0) continue;
      b[k] -= gk;
      for (let p = 0; p < inputs; p++) W[k * inputs + p] -= gk * zi[p];
    }
  });
  for (let k = 0; k < R; k++) net.a[k] -= e * ri[k];
  net.c -= e;
  // features at the new weights
  net.layers.forEach((layer, l) => {
    const pre = F.pre[l], act = F.act[l], dh = ch.dPre[l];
    for (let q = 0; q < N * layer.units; q++) {
      pre[q] += dh[q];
      act[q] = activate(layer.activation, pre[q]);
    }
  });
  if (net.layers.length > 0 && net.readout === 'sum') {
    F.readin.fill(0);
    for (const act of F.act) for (let q = 0; q < N * R; q++) F.readin[q] += act[q];
  }
  for (let j = 0; j < N; j++) {
    F.logit[j] += ch.dLogit[j];
    F.output[j] = net.sigmoidOutput ? sigmoid(F.logit[j]) : F.logit[j];
  }
}
