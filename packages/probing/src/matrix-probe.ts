import { FLOAT64_PRODUCTS, gatherRows, mlpNetFeatures, sharedFloat64Array, sigmoid, sigmoidDifference } from '@elasticity/core';
import type { MlpNet, MlpNetFeatures, Products } from '@elasticity/core';
import { chooseEta } from './eta.ts';
import type { EtaSetting } from './eta.ts';
import { float32SelfDeltaNet } from './mlp-float32.ts';
import { lossSlope } from './probe-loss.ts';
import type { ProbeLoss } from './probe-loss.ts';
import { allIndices } from './probe-result.ts';
import type { ProbeExamples, ProbeResult } from './probe-result.ts';

/** Whether the matrix form applies: the 1-layer model, or 2 layers with a ReLU or linear hidden layer. */
export function hasMatrixForm(net: MlpNet): boolean {
  return net.layers.length === 0 || (net.layers.length === 1 && net.layers[0].activation !== 'sigmoid');
}

/** Exact term minus the assumed (state-keeping) term of a ReLU unit whose state may change. */
function reluFlipCorrection(hj: number, dh: number, a: number, s: number, e: number): number {
  const hp = hj + dh;
  const on = hj > 0;
  if (on === hp > 0) return 0;
  // on -> off: exact a (0 - hj) + da 0; assumed a dh - e s hp
  if (on) return -a * hj - (a * dh - e * s * hp);
  // off -> on: exact (a - e s) hp; assumed 0
  return (a - e * s) * hp;
}

export interface MatrixProbeOptions {
  products?: Products;
  features?: MlpNetFeatures;
  onRow?: () => void;
  where?: { file?: string; field?: string };
}

/**
 * The exact fast probe (reset mode) of the 1-layer model and of 2-layer
 * MLPs with a ReLU or linear hidden layer, as a few matrix products over
 * all rows at once (method.md section 7). With e_i = eta l'_i dOut/dlogit_i,
 * G~ = x_i.x_j + 1, s = s(h), m = 1[h > 0], the change of the logit is
 *   ReLU:   dz_ij = -e_i G~_ij Q_ij - e_i (s_i.s_j + 1) + (units that change state),
 *           Q = L M^T, L_ik = a_k m_ik (a_k - e_i s_ik)
 *   linear: dz_ij = -e_i G~_ij sum_k a_k (a_k - e_i h_ik) - e_i (h_i.h_j + 1)
 *   1-layer: dz_ij = -e_i G~_ij
 * and a sigmoid output's change is sigmoid(z_j + dz) - sigmoid(z_j) in a
 * stable form. Every term is a product or a sum of small changes, never a
 * difference of two outputs. A ReLU unit k can change state only where
 * |h_jk| <= |e_i| G~_ij |a_k|; those (few) units are found per example and
 * their term replaced by the exact one. Products run through `products`
 * (float64, or float32 K-blocks with float64 sums for large widths; the
 * pre-activations near 0 are then recomputed in float64 so ReLU states stay exact).
 */
export async function matrixNetProbe(
  net: MlpNet, ex: ProbeExamples, loss: ProbeLoss, eta: EtaSetting | ArrayLike<number>, options: MatrixProbeOptions = {},
): Promise<ProbeResult> {
  if (!hasMatrixForm(net)) throw new Error('matrixNetProbe: needs a 1-layer model or a 2-layer MLP with a ReLU or linear hidden layer');
  const products = options.products ?? FLOAT64_PRODUCTS;
  const { x, n: N, rows } = ex;
  const columns = ex.columns ?? allIndices(N);
  const d = net.d;
  const F = options.features ?? (await mlpNetFeatures(net, x, N, products));
  const nr = rows.length;
  // step sizes and loss slopes per row
  const etas = new Float64Array(nr);
  const slopes = new Float64Array(nr);
  const e = new Float64Array(nr);
  rows.forEach((i, r) => {
    const y = ex.targets[i];
    const out = F.output[i];
    const q = net.sigmoidOutput ? sigmoid(-F.logit[i]) : 1 - out;
    slopes[r] = lossSlope(loss, out, y, q);
    etas[r] = typeof eta === 'number' || eta === 'authors'
      ? chooseEta(eta, () => float32SelfDeltaNet(net, x, i * d, y, loss), options.where)
      : eta[r];
    e[r] = etas[r] * slopes[r] * (net.sigmoidOutput ? out * q : 1);
  });
  const G = await products.abt(gatherRows(x, d, rows), x, nr, N, d);
  const dz = new Float64Array(nr * N);
  if (net.layers.length === 0) {
    for (let r = 0; r < nr; r++) for (let j = 0; j < N; j++) dz[r * N + j] = -e[r] * (G[r * N + j] + 1);
  } else {
    const { units: H, activation } = net.layers[0];
    const a = net.a;
    const pre = F.pre[0];
    if (activation === 'linear') {
      const HH = await products.abt(gatherRows(pre, H, rows), pre, nr, N, H);
      let aa = 0;
      for (let k = 0; k < H; k++) aa += a[k] * a[k];
      for (let r = 0; r < nr; r++) {
        const i = rows[r];
        let ah = 0;
        for (let k = 0; k < H; k++) ah += a[k] * pre[i * H + k];
        const wSum = aa - e[r] * ah;
        for (let j = 0; j < N; j++) dz[r * N + j] = -e[r] * (G[r * N + j] + 1) * wSum - e[r] * (HH[r * N + j] + 1);
      }
    } else {
      const act = F.act[0];
      // (in shared memory: the product workers read it without a copy)
      const mask = new Float32Array(new SharedArrayBuffer(N * H * 4));
      for (let q = 0; q < N * H; q++) mask[q] = pre[q] > 0 ? 1 : 0;
      const Lr = sharedFloat64Array(nr * H);
      rows.forEach((i, r) => {
        for (let k = 0; k < H; k++) if (pre[i * H + k] > 0) Lr[r * H + k] = a[k] * (a[k] - e[r] * act[i * H + k]);
      });
      const Q = await products.abt(Lr, mask, nr, N, H);
      const SS = await products.abt(gatherRows(act, H, rows), act, nr, N, H);
      const flips = await reluFlips(net, F, x, rows, e, G, products);
      for (let r = 0; r < nr; r++) {
        for (let j = 0; j < N; j++) {
          const q = r * N + j;
          dz[q] = -e[r] * (G[q] + 1) * Q[q] - e[r] * (SS[q] + 1) + flips[q];
        }
      }
    }
  }
  const n = columns.length;
  const delta = new Float64Array(nr * n);
  const self = new Float64Array(nr);
  const change = (r: number, j: number): number => (net.sigmoidOutput ? sigmoidDifference(F.logit[j], dz[r * N + j]) : dz[r * N + j]);
  for (let r = 0; r < nr; r++) {
    for (let c = 0; c < n; c++) delta[r * n + c] = change(r, columns[c]);
    self[r] = change(r, rows[r]);
    options.onRow?.();
  }
  return { rows, columns, n, delta, self, eta: etas, lossSlope: slopes };
}

/**
 * Sum over the ReLU units that change state of (exact term - assumed term),
 * per (row, example). Candidates per example j: units with
 * |h_jk| <= max_r |e_r G~_rj| |a_k| (+ the products' error bound on h, whose
 * candidates are recomputed in float64); each is then checked exactly per row.
 */
async function reluFlips(net: MlpNet, F: MlpNetFeatures, x: ArrayLike<number>, rows: number[], e: Float64Array, G: Float64Array, products: Products): Promise<Float64Array> {
  const { units: H, inputs: d, W, b } = net.layers[0];
  const a = net.a;
  const pre = F.pre[0], act = F.act[0];
  const N = F.n, nr = rows.length;
  const flips = new Float64Array(nr * N);
  const bound = products.errorBound(N, H, d);
  const wNorm = new Float64Array(H);
  if (bound > 0) for (let k = 0; k < H; k++) wNorm[k] = Math.sqrt(W.subarray(k * d, (k + 1) * d).reduce((s, v) => s + v * v, 0));
  const g = new Float64Array(nr);
  const reachOf = new Float64Array(nr);
  const order = new Int32Array(nr);
  for (let j = 0; j < N; j++) {
    let cmax = 0;
    for (let r = 0; r < nr; r++) {
      g[r] = -e[r] * (G[r * N + j] + 1);
      reachOf[r] = Math.abs(g[r]);
      cmax = Math.max(cmax, reachOf[r]);
    }
    let xNorm = 0;
    if (bound > 0) for (let p = 0; p < d; p++) xNorm += x[j * d + p] * x[j * d + p];
    const slack = 2 * bound * Math.sqrt(xNorm);
    let sorted = false;
    for (let k = 0; k < H; k++) {
      let hj = pre[j * H + k];
      const ak = Math.abs(a[k]);
      if (Math.abs(hj) > cmax * ak + slack * wNorm[k]) continue;
      if (bound > 0) {
        hj = b[k];
        for (let p = 0; p < d; p++) hj += W[k * d + p] * x[j * d + p];
      }
      if (!sorted) {
        // rows by decreasing reach |g_r|: unit k can flip only for the first few
        for (let r = 0; r < nr; r++) order[r] = r;
        order.sort((p, q) => reachOf[q] - reachOf[p]);
        sorted = true;
      }
      const need = Math.abs(hj);
      for (let t = 0; t < nr; t++) {
        const r = order[t];
        const dh = g[r] * a[k];
        // |dh| < |h| cannot change the sign of h, nor can any later row's smaller step
        if (Math.abs(dh) < need) break;
        const i = rows[r];
        if (!(pre[i * H + k] > 0)) continue; // the step does not move unit k
        if (hj * (hj + dh) <= 0) flips[r * N + j] += reluFlipCorrection(hj, dh, a[k], act[i * H + k], e[r]);
      }
    }
  }
  return flips;
}
