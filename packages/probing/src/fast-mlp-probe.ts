import { matMulABt, mlpHiddenFeatures, sigmoid, sigmoidDifference } from '@elasticity/core';
import type { DenseMlp, MlpHiddenFeatures } from '@elasticity/core';
import { chooseEta } from './eta.ts';
import type { EtaSetting } from './eta.ts';
import { float32SelfDelta } from './mlp-float32.ts';
import { lossSlope } from './probe-loss.ts';
import type { ProbeLoss } from './probe-loss.ts';
import type { ProbeExamples, ProbeResult } from './probe-result.ts';

/**
 * One row's units that the step touches, gathered into compact arrays:
 * u = a (*) s'(h_i) (direction of the change of h), s = s(h_i) (da = -e s), a,
 * and w = u (*) (a - e s) (the combined first-order weight of a unit that
 * keeps its ReLU state).
 */
interface RowUnits {
  count: number;
  index: Int32Array;
  u: Float64Array;
  s: Float64Array;
  a: Float64Array;
  w: Float64Array;
}

function gatherUnits(mlp: DenseMlp, F: MlpHiddenFeatures, i: number, e: number, into: RowUnits): void {
  const h = mlp.h;
  let m = 0;
  for (let k = 0; k < h; k++) {
    const q = i * h + k;
    // a ReLU unit inactive at x_i has s = 0 and u = 0: the step leaves it and its output weight alone
    if (mlp.hidden === 'relu' && F.pre[q] <= 0) continue;
    into.index[m] = k;
    into.u[m] = F.u[q];
    into.s[m] = F.act[q];
    into.a[m] = mlp.a[k];
    into.w[m] = F.u[q] * (mlp.a[k] - e * F.act[q]);
    m++;
  }
  into.count = m;
}

/*
 * The change of the logit at x_j is a sum over hidden units k of
 *   a_k (s(h+_jk) - s(h_jk)) + da_k s(h+_jk),   plus dc = -e,
 * with h+_jk - h_jk = dh_k = g u_ik (g = -e (x_i.x_j + 1)) known exactly,
 * da_k = -e s_ik. No term is a difference of two large numbers:
 * - ReLU unit active before and after: a dh - e s (h + dh) = g w_k - e s_ik s(h_jk);
 * - ReLU unit inactive before and after: 0;
 * - ReLU unit that flips (rare; only when |h_jk| <= |dh_k|): computed directly,
 *   one side of the difference is 0;
 * - linear unit: g w_k - e s_ik h_jk;
 * - sigmoid unit: the stable sigmoid difference.
 * For ReLU the first case is summed with the unit's mask m_jk (branch-free),
 * and flipping units replace that assumed term by their exact one.
 * Each row function writes dz_j (dc included) for every measured example j.
 */
function reluRow(R: RowUnits, pre: Float64Array, mask: Float64Array, gram: Float64Array, go: number, n: number, h: number, e: number, dz: Float64Array): void {
  const { count, index, w, s, u, a } = R;
  for (let j = 0; j < n; j++) {
    const jo = j * h;
    const g = -e * (gram[go + j] + 1);
    let first = 0;
    let second = 0;
    let flips = 0;
    for (let t = 0; t < count; t++) {
      const q = jo + index[t];
      const hj = pre[q];
      const m = mask[q];
      first += w[t] * m;
      // s(h_jk) = h_jk m_jk for ReLU
      second += s[t] * hj * m;
      const dh = g * u[t];
      if (hj * (hj + dh) <= 0) flips += reluFlipCorrection(hj, dh, a[t], s[t], e);
    }
    dz[j] = g * first - e * second + flips - e;
  }
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

function linearRow(R: RowUnits, pre: Float64Array, gram: Float64Array, go: number, n: number, h: number, e: number, dz: Float64Array): void {
  const { count, index, w, s } = R;
  let wSum = 0;
  for (let t = 0; t < count; t++) wSum += w[t];
  for (let j = 0; j < n; j++) {
    const jo = j * h;
    let second = 0;
    for (let t = 0; t < count; t++) second += s[t] * pre[jo + index[t]];
    dz[j] = -e * (gram[go + j] + 1) * wSum - e * second - e;
  }
}

function sigmoidRow(R: RowUnits, pre: Float64Array, act: Float64Array, gram: Float64Array, go: number, n: number, h: number, e: number, dz: Float64Array): void {
  const { count, index, s, u, a } = R;
  for (let j = 0; j < n; j++) {
    const jo = j * h;
    const g = -e * (gram[go + j] + 1);
    let acc = 0;
    for (let t = 0; t < count; t++) {
      const q = jo + index[t];
      const ds = sigmoidDifference(pre[q], g * u[t]);
      acc += a[t] * ds - e * s[t] * (act[q] + ds);
    }
    dz[j] = acc - e;
  }
}

export interface FastProbeOptions {
  /** Cached hidden features of all examples (computed when absent). */
  features?: MlpHiddenFeatures;
  /** Called after each probed row (progress). */
  onRow?: () => void;
  /** Where errors point (pipeline file and field). */
  where?: { file?: string; field?: string };
}

/**
 * The exact fast probe of a 2-layer MLP (method.md section 7). One SGD step
 * at x_i changes h(x_j) by -e (x_i.x_j + 1) u_i, with e = eta l'_i dOut/dz_i,
 * so with h(x_j) cached for all examples and the Gram matrix x_i.x_j, each
 * (i, j) costs O(H) and no forward pass through the first layer is needed.
 * delta is built term by term (never as a difference of two outputs); with a
 * sigmoid output, p+ - p = sigmoid(z + dz) - sigmoid(z) uses a stable form.
 * `eta` is a setting ('authors' searches in float32 per row) or one value per row.
 */
export function fastMlpProbe(
  mlp: DenseMlp, ex: ProbeExamples, loss: ProbeLoss, eta: EtaSetting | ArrayLike<number>, options: FastProbeOptions = {},
): ProbeResult {
  const { n, x, rows } = ex;
  const { d, h } = mlp;
  const F = options.features ?? mlpHiddenFeatures(mlp, x, n);
  const nr = rows.length;
  const xr = new Float64Array(nr * d);
  rows.forEach((i, r) => {
    for (let p = 0; p < d; p++) xr[r * d + p] = x[i * d + p];
  });
  const gram = matMulABt(xr, x, nr, n, d);
  const delta = new Float64Array(nr * n);
  const etas = new Float64Array(nr);
  const slopes = new Float64Array(nr);
  const units: RowUnits = {
    count: 0, index: new Int32Array(h), u: new Float64Array(h), s: new Float64Array(h), a: new Float64Array(h), w: new Float64Array(h),
  };
  const dz = new Float64Array(n);
  const mask = mlp.hidden === 'relu' ? F.pre.map((v) => (v > 0 ? 1 : 0)) : F.pre;
  for (let r = 0; r < nr; r++) {
    const i = rows[r];
    const y = ex.targets[i];
    const out = F.output[i];
    const q = mlp.sigmoidOutput ? sigmoid(-F.logit[i]) : 1 - out;
    const slope = lossSlope(loss, out, y, q);
    const step = typeof eta === 'number' || eta === 'authors'
      ? chooseEta(eta, () => float32SelfDelta(mlp, x, i * d, y, loss), options.where)
      : eta[r];
    const e = step * slope * (mlp.sigmoidOutput ? out * q : 1);
    gatherUnits(mlp, F, i, e, units);
    if (mlp.hidden === 'relu') reluRow(units, F.pre, mask, gram, r * n, n, h, e, dz);
    else if (mlp.hidden === 'linear') linearRow(units, F.pre, gram, r * n, n, h, e, dz);
    else sigmoidRow(units, F.pre, F.act, gram, r * n, n, h, e, dz);
    for (let j = 0; j < n; j++) delta[r * n + j] = mlp.sigmoidOutput ? sigmoidDifference(F.logit[j], dz[j]) : dz[j];
    etas[r] = step;
    slopes[r] = slope;
    options.onRow?.();
  }
  return { rows, n, delta, eta: etas, lossSlope: slopes };
}
