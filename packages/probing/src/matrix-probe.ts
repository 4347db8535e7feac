import { dot, rowNorms } from '@elasticity/core';
import { FLOAT64_PRODUCTS, gatherRows, layerPreActivations, mlpNetFeatures, sigmoid, sigmoidDifference } from '@elasticity/mlp-engine';
import type { MlpNet, MlpNetFeatures, Products } from '@elasticity/mlp-engine';
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
  /** Features of all examples (computed when absent); a ReLU net's may be k-major only (rowMajor false) when they ran as float32 tiles with masks. */
  features?: MlpNetFeatures<boolean>;
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
  const relu = net.layers.length === 1 && net.layers[0].activation === 'relu';
  // a ReLU layer run as float32 tiles: its k-major copies are all the products need
  const F = options.features ?? (await mlpNetFeatures(net, x, N, products, { masks: true, rowMajor: !relu }));
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
    if (activation === 'linear') {
      const pre = F.pre[0];
      if (!pre) throw new Error('matrixNetProbe: a linear layer needs row-major features');
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
      // L_rk = a_k (a_k - e_r s_ik) on the active units, built block by block from s
      const map = { p: Float64Array.from(a, (v) => v * v), q: e, r: Float64Array.from(a) };
      const kf = F.kMajor?.[0];
      let pending: Promise<Float64Array>, pendingSS: Promise<Float64Array>;
      if (kf?.mask) {
        // float32 tiles: both factors k-major (A's rows: the probed examples' columns)
        const aCols = Int32Array.from(rows);
        pending = products.abt(undefined, undefined, nr, N, H, { aT: kf.act, aCols, bT: kf.mask, map });
        // S S^T queued behind Q: the workers go from one to the other without a pause
        pendingSS = products.abt(undefined, undefined, nr, N, H, { aT: kf.act, aCols, bT: kf.act });
      } else {
        const pre = F.pre[0], act = F.act[0];
        if (!pre || !act) throw new Error('matrixNetProbe: features hold neither k-major masks nor row-major activations');
        const rowsAct = gatherRows(act, H, rows);
        // (in shared memory: the product workers read it without a copy)
        const mask = new Float32Array(new SharedArrayBuffer(N * H * 4));
        for (let q = 0; q < N * H; q++) mask[q] = pre[q] > 0 ? 1 : 0;
        pending = products.abt(rowsAct, mask, nr, N, H, { map });
        pendingSS = products.abt(rowsAct, act, nr, N, H, { bT: kf?.act });
      }
      // (awaited below; not unhandled rejections meanwhile)
      void pending.catch(() => undefined);
      void pendingSS.catch(() => undefined);
      // the exact terms of units that change state, in this thread while the product workers compute
      const flips = await reluFlips(net, F, x, rows, e, G, products);
      const [Q, SS] = [await pending, await pendingSS];
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
 * |h_jk| <= max_r |e_r G~_rj| |a_k| (+ the error bound of h, 2 bound |x_j| |W_k|,
 * inside which the features hold the float64 value; other candidates are
 * recomputed in float64); each is then checked exactly per row.
 * Float32 features list the entries within twice that zone: an example
 * whose steps reach less than the zone is served from the list, any other
 * by a scan of all units of its row of h (the row-major features' when
 * kept, else recomputed for those examples only). The state and the
 * activation of unit k at a probed example come from the row-major features
 * when kept, else from the k-major mask and float32 activations (the
 * activation enters only the small term e s of a flip's correction).
 */
async function reluFlips(net: MlpNet, F: MlpNetFeatures<boolean>, x: Float32Array | Float64Array, rows: number[], e: Float64Array, G: Float64Array, products: Products): Promise<Float64Array> {
  const layer = net.layers[0];
  const { units: H, inputs: d, W, b } = layer;
  const a = net.a;
  const N = F.n, nr = rows.length;
  const flips = new Float64Array(nr * N);
  const kf = F.kMajor?.[0];
  const rowPre = F.pre[0], rowAct = F.act[0];
  const mask = kf?.mask;
  if (!(rowPre && rowAct) && !mask) throw new Error('matrixNetProbe: features hold neither k-major masks nor row-major pre-activations');
  const kAct = kf?.act;
  /** s_ik where unit k is on at probed example i, else -1. */
  const onAct = rowPre && rowAct
    ? (i: number, k: number) => (rowPre[i * H + k] > 0 ? rowAct[i * H + k] : -1)
    : (i: number, k: number) => (mask![k * N + i] === 1 ? kAct![k * N + i] : -1);
  /** Float64 h of example j at unit k (as the features recompute it near 0). */
  const exactPre = (j: number, k: number): number => dot(W, k * d, x, j * d, d) + b[k];
  const featureBound = kf?.bound;
  const bound = featureBound ?? products.errorBound(N, H, d);
  const absA = Float64Array.from(a, Math.abs);
  const xNorm = rowNorms(x, N, d);
  let wNorm = kf?.wNorm;
  const norms = (): Float64Array => (wNorm ??= rowNorms(W, H, d));
  if (bound > 0) norms();
  const near = kf?.nearZero;
  let maxRatio = 0;
  if (near) for (let k = 0; k < H; k++) maxRatio = Math.max(maxRatio, wNorm![k] > 0 ? absA[k] / wNorm![k] : Infinity);
  // per example: the largest step's reach (over rows) and the zone's scale 2 bound |x_j| of its h values
  const cmax = new Float64Array(N);
  const slack = new Float64Array(N);
  for (let j = 0; j < N; j++) {
    let c = 0;
    for (let r = 0; r < nr; r++) c = Math.max(c, Math.abs(-e[r] * (G[r * N + j] + 1)));
    cmax[j] = c;
    slack[j] = 2 * bound * xNorm[j];
  }
  /** Unit k at example j, h = its pre-activation, exact within 0.99 slack_j |W_k| when `exactZone`. */
  const visit = (j: number, k: number, h: number, exactZone: boolean): void => {
    const reach = cmax[j] * absA[k];
    const zone = slack[j] > 0 ? slack[j] * wNorm![k] : 0;
    if (Math.abs(h) > reach + zone) return;
    // (0.99: a margin for the rounding of the zone's own computation)
    const hj = zone > 0 && !(exactZone && Math.abs(h) <= 0.99 * zone) ? exactPre(j, k) : h;
    // no row's step reaches |h|: nothing flips
    const need = Math.abs(hj);
    if (need > reach) return;
    for (let r = 0; r < nr; r++) {
      const g = -e[r] * (G[r * N + j] + 1);
      const dh = g * a[k];
      // |dh| < |h| cannot change the sign of h
      if (Math.abs(dh) < need) continue;
      const s = onAct(rows[r], k);
      if (s < 0) continue; // the step does not move unit k
      if (hj * (hj + dh) <= 0) flips[r * N + j] += reluFlipCorrection(hj, dh, a[k], s, e[r]);
    }
  };
  // every candidate |h| <= reach + zone < 2 zone is listed when the steps reach less than 0.98 zone
  const listed = Uint8Array.from({ length: N }, (_, j) => (near && cmax[j] * maxRatio < 0.98 * slack[j] ? 1 : 0));
  if (near) {
    for (let t = 0; t < near.length; t += 2) {
      const q = near[t];
      const j = Math.floor(q / H);
      if (listed[j]) visit(j, q - j * H, near[t + 1], featureBound !== undefined);
    }
  }
  const unlisted = Array.from({ length: N }, (_, j) => j).filter((j) => !listed[j]);
  if (rowPre) {
    for (const j of unlisted) for (let k = 0; k < H; k++) visit(j, k, rowPre[j * H + k], featureBound !== undefined);
    return flips;
  }
  // k-major features only: the rows of h of the unlisted examples, recomputed in chunks (within their bound of 0 in float64)
  const chunk = Math.max(1, Math.floor(2 ** 22 / H));
  for (let c0 = 0; c0 < unlisted.length; c0 += chunk) {
    const js = unlisted.slice(c0, c0 + chunk);
    const m = js.length;
    const h = await layerPreActivations(layer, gatherRows(x, d, js), m, products);
    const rowBound = products.errorBound(m, H, d);
    if (rowBound > 0) norms();
    js.forEach((j, t) => {
      slack[j] = 2 * rowBound * xNorm[j];
      for (let k = 0; k < H; k++) visit(j, k, h[t * H + k], true);
    });
  }
  return flips;
}
