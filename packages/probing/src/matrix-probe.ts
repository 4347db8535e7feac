import { FLOAT64_PRODUCTS, gatherRows, mlpNetFeatures, sigmoid, sigmoidDifference } from '@elasticity/mlp-engine';
import type { MlpNet, MlpNetFeatures, Products } from '@elasticity/mlp-engine';
import { chooseEta } from './eta.ts';
import type { EtaSetting } from './eta.ts';
import { lossSlope } from './probe-loss.ts';
import type { ProbeLoss } from './probe-loss.ts';
import { allIndices } from './probe-result.ts';
import type { ProbeExamples, ProbeResult } from './probe-result.ts';
import { reluFlips } from './relu-flips.ts';
import { matrixSelfChange } from './self-change.ts';

/** Whether the matrix form applies: the 1-layer model, or 2 layers with a ReLU or linear hidden layer. */
export function hasMatrixForm(net: MlpNet): boolean {
  return net.layers.length === 0 || (net.layers.length === 1 && net.layers[0].activation !== 'sigmoid');
}

export interface MatrixProbeOptions {
  products?: Products;
  /** Features of all examples (computed when absent); a ReLU net's may be k-major only (rowMajor false) when they ran as float32 tiles with masks. */
  features?: MlpNetFeatures<boolean>;
  /**
   * Called after each phase of the batched computation (features, step sizes,
   * products), with the seconds since the call began: all rows advance
   * together, so there is no per-row progress to report.
   */
  onPhase?: (phase: MatrixProbePhase, seconds: number) => void;
  where?: { file?: string; field?: string };
  /** 'auto' precision of the products as for this many probed rows (default: the rows given): a block of rows is computed as the whole probe is. */
  precisionRows?: number;
}

export type MatrixProbePhase = 'features' | 'steps' | 'products';

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
 * With eta 'authors' each row's step is decided first from the change at
 * its own example (matrixSelfChange: O(width) per row and step tried), then
 * all rows run at once, each with its eta.
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
  const started = performance.now();
  const phase = (name: MatrixProbePhase): void => options.onPhase?.(name, (performance.now() - started) / 1000);
  const F = options.features ?? (await mlpNetFeatures(net, x, N, products, { masks: true, rowMajor: !relu }));
  phase('features');
  const nr = rows.length;
  const precisionRows = options.precisionRows ?? nr;
  // products that do not depend on the steps are queued first: the workers compute them while the steps are chosen
  const pendingG = products.abt(gatherRows(x, d, rows), x, nr, N, d, { precisionRows });
  const kf = relu ? F.kMajor?.[0] : undefined;
  const aCols = Int32Array.from(rows);
  // (float32 tiles: both factors k-major, A's rows the probed examples' columns; only the units active at some example add anything)
  const pendingLeanSS = kf?.mask ? products.abt(undefined, undefined, nr, N, kf.act.length / N, { aT: kf.act, aCols, bT: kf.act, kRows: kf.active, precisionRows }) : undefined;
  // (awaited below; not unhandled rejections meanwhile)
  for (const p of [pendingG, pendingLeanSS]) void p?.catch(() => undefined);
  // loss slopes per row, then step sizes: fixed, given, or the authors' search on each row's own change (O(width) per row)
  const etas = new Float64Array(nr);
  const slopes = new Float64Array(nr);
  const outScale = new Float64Array(nr);
  const invisibleRows: number[] = [];
  rows.forEach((i, r) => {
    const out = F.output[i];
    const q = net.sigmoidOutput ? sigmoid(-F.logit[i]) : 1 - out;
    slopes[r] = lossSlope(loss, out, ex.targets[i], q);
    outScale[r] = net.sigmoidOutput ? out * q : 1;
  });
  const stepOf = (r: number, eta: number): number => eta * slopes[r] * outScale[r];
  if (eta === 'authors') {
    const selfLogit = await matrixSelfChange(net, F, x, rows, products);
    for (let r = 0; r < nr; r++) {
      const i = rows[r];
      const selfChange = async (h: number): Promise<number> => {
        const dz = await selfLogit(r, stepOf(r, h));
        return net.sigmoidOutput ? sigmoidDifference(F.logit[i], dz) : dz;
      };
      const chosen = await chooseEta(eta, F.output[i], selfChange, options.where);
      etas[r] = chosen.eta;
      if (chosen.invisible) invisibleRows.push(r);
    }
  } else for (let r = 0; r < nr; r++) etas[r] = typeof eta === 'number' ? eta : eta[r];
  const e = Float64Array.from(etas, (h, r) => stepOf(r, h));
  phase('steps');
  const G = await pendingG;
  const dz = new Float64Array(nr * N);
  if (net.layers.length === 0) {
    for (let r = 0; r < nr; r++) for (let j = 0; j < N; j++) dz[r * N + j] = -e[r] * (G[r * N + j] + 1);
  } else {
    const { units: H, activation } = net.layers[0];
    const a = net.a;
    if (activation === 'linear') {
      const pre = F.pre[0];
      if (!pre) throw new Error('matrixNetProbe: a linear layer needs row-major features');
      const HH = await products.abt(gatherRows(pre, H, rows), pre, nr, N, H, { precisionRows });
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
      let pending: Promise<Float64Array>, pendingSS: Promise<Float64Array>;
      if (kf?.mask && pendingLeanSS) {
        pending = products.abt(undefined, undefined, nr, N, H, { aT: kf.act, aCols, bT: kf.mask, map, kRows: kf.active, precisionRows });
        pendingSS = pendingLeanSS;
      } else {
        const pre = F.pre[0], act = F.act[0];
        if (!pre || !act) throw new Error('matrixNetProbe: features hold neither k-major masks nor row-major activations');
        const rowsAct = gatherRows(act, H, rows);
        // (in shared memory: the product workers read it without a copy)
        const mask = new Float32Array(new SharedArrayBuffer(N * H * 4));
        for (let q = 0; q < N * H; q++) mask[q] = pre[q] > 0 ? 1 : 0;
        pending = products.abt(rowsAct, mask, nr, N, H, { map, precisionRows });
        pendingSS = products.abt(rowsAct, act, nr, N, H, { bT: kf?.act, precisionRows });
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
  }
  phase('products');
  return { rows, columns, n, delta, self, eta: etas, lossSlope: slopes, invisibleRows };
}
