import { dot, rowNorms } from '@elasticity/core';
import { gatherRows, layerPreActivations } from '@elasticity/mlp-engine';
import type { MlpNet, MlpNetFeatures, Products } from '@elasticity/mlp-engine';

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

/**
 * The hidden layer of a 2-layer ReLU net as the flip search reads it from
 * the features: the state and activation of unit k at a probed example, the
 * pre-activations near 0 and how exact they are. An entry h_jk of float32
 * features is the float64 value within zone_jk = slack_j |W_k| of 0
 * (slack_j = 2 bound |x_j|); the near-zero list holds every entry within
 * 2 zone_jk.
 */
interface ReluLayerView {
  N: number;
  H: number;
  a: Float64Array;
  absA: Float64Array;
  /** s_ik where unit k is on at probed example i, else -1. */
  onAct(i: number, k: number): number;
  /** Float64 h of example j at unit k (as the features recompute it near 0). */
  exactPre(j: number, k: number): number;
  /** Row-major pre-activations when the features kept them. */
  rowPre?: Float64Array;
  /** The near-zero list (pairs j H + k, h) of float32 k-major features. */
  near?: Float64Array;
  /** Whether feature values within 0.99 zone of 0 are exact (float32 tiles recheck them). */
  exactZone: boolean;
  /** Per example: 2 bound |x_j| (0 for float64 features). */
  slack: Float64Array;
  /** |W_k| (when slack is not 0). */
  wNorm: () => Float64Array;
  /** max_k |a_k| / |W_k| (when there is a near-zero list). */
  maxRatio: number;
  /** Recomputes rows of h (examples js) in float64 where float32 rounding could decide a state; sets their slack. */
  recompute(js: number[]): Promise<Float64Array>;
}

function reluLayerView(net: MlpNet, F: MlpNetFeatures<boolean>, x: Float32Array | Float64Array, products: Products): ReluLayerView {
  const layer = net.layers[0];
  const { units: H, inputs: d, W, b } = layer;
  const N = F.n;
  const kf = F.kMajor?.[0];
  const rowPre = F.pre[0], rowAct = F.act[0];
  const mask = kf?.mask;
  if (!(rowPre && rowAct) && !mask) throw new Error('matrixNetProbe: features hold neither k-major masks nor row-major pre-activations');
  const kAct = kf?.act;
  const featureBound = kf?.bound;
  const bound = featureBound ?? products.errorBound(N, H, d);
  const xNorm = rowNorms(x, N, d);
  let wNorm = kf?.wNorm;
  const norms = (): Float64Array => (wNorm ??= rowNorms(W, H, d));
  if (bound > 0) norms();
  const absA = Float64Array.from(net.a, Math.abs);
  const near = kf?.nearZero;
  let maxRatio = 0;
  if (near) for (let k = 0; k < H; k++) maxRatio = Math.max(maxRatio, wNorm![k] > 0 ? absA[k] / wNorm![k] : Infinity);
  const slack = Float64Array.from(xNorm, (v) => 2 * bound * v);
  return {
    N, H, a: net.a, absA, rowPre, near, exactZone: featureBound !== undefined, slack, wNorm: norms, maxRatio,
    // (the activation enters only the small term e s of a flip's correction)
    onAct: rowPre && rowAct
      ? (i, k) => (rowPre[i * H + k] > 0 ? rowAct[i * H + k] : -1)
      : (i, k) => (mask![k * N + i] === 1 ? kAct![k * N + i] : -1),
    exactPre: (j, k) => dot(W, k * d, x, j * d, d) + b[k],
    async recompute(js) {
      const h = await layerPreActivations(layer, gatherRows(x, d, js), js.length, products);
      const rowBound = products.errorBound(js.length, H, d);
      if (rowBound > 0) norms();
      for (const j of js) slack[j] = 2 * rowBound * xNorm[j];
      return h;
    },
  };
}

/**
 * Unit k at example j with feature value h, a candidate for a flip when
 * |h| <= reach + zone: its exact pre-activation (the value itself inside
 * 0.99 zone when that is exact; 0.99: a margin for the rounding of the
 * zone's own computation), or undefined when it is not a candidate.
 */
function candidatePre(v: ReluLayerView, j: number, k: number, h: number, reach: number, exactZone: boolean): number | undefined {
  const zone = v.slack[j] > 0 ? v.slack[j] * v.wNorm()[k] : 0;
  if (Math.abs(h) > reach + zone) return undefined;
  return zone > 0 && !(exactZone && Math.abs(h) <= 0.99 * zone) ? v.exactPre(j, k) : h;
}

/** Whether the near-zero list holds every candidate of example j for steps that move h_jk by at most reach |a_k|: reach + zone < 2 zone with a margin. */
function listCovers(v: ReluLayerView, j: number, reach: number): boolean {
  return v.near !== undefined && reach * v.maxRatio < 0.98 * v.slack[j];
}

/**
 * Sum over the ReLU units that change state of (exact term - assumed term),
 * per (row, example), for the steps at the probed examples `rows` with
 * e_r, whose change of h_jk is g_rj a_k, g_rj = -e_r G~_rj (G: rows x N,
 * x_i.x_j). Candidates per example j: units with |h_jk| <= max_r |g_rj|
 * |a_k| (+ the zone, inside which the features hold the float64 value;
 * other candidates are recomputed in float64); each is then checked
 * exactly per row. An example whose steps reach less than the zone is
 * served from the near-zero list, any other by a scan of all units of its
 * row of h (the row-major features' when kept, else recomputed for those
 * examples only).
 */
export async function reluFlips(net: MlpNet, F: MlpNetFeatures<boolean>, x: Float32Array | Float64Array, rows: number[], e: Float64Array, G: Float64Array, products: Products): Promise<Float64Array> {
  const v = reluLayerView(net, F, x, products);
  const { N, H, a, absA } = v;
  const nr = rows.length;
  const flips = new Float64Array(nr * N);
  // per example: the largest step's reach (over rows)
  const cmax = new Float64Array(N);
  for (let j = 0; j < N; j++) {
    let c = 0;
    for (let r = 0; r < nr; r++) c = Math.max(c, Math.abs(-e[r] * (G[r * N + j] + 1)));
    cmax[j] = c;
  }
  const visit = (j: number, k: number, h: number, exactZone: boolean): void => {
    const reach = cmax[j] * absA[k];
    const hj = candidatePre(v, j, k, h, reach, exactZone);
    if (hj === undefined) return;
    // no row's step reaches |h|: nothing flips
    const need = Math.abs(hj);
    if (need > reach) return;
    for (let r = 0; r < nr; r++) {
      const g = -e[r] * (G[r * N + j] + 1);
      const dh = g * a[k];
      // |dh| < |h| cannot change the sign of h
      if (Math.abs(dh) < need) continue;
      const s = v.onAct(rows[r], k);
      if (s < 0) continue; // the step does not move unit k
      if (hj * (hj + dh) <= 0) flips[r * N + j] += reluFlipCorrection(hj, dh, a[k], s, e[r]);
    }
  };
  const listed = Uint8Array.from({ length: N }, (_, j) => (listCovers(v, j, cmax[j]) ? 1 : 0));
  if (v.near) {
    const near = v.near;
    for (let t = 0; t < near.length; t += 2) {
      const q = near[t];
      const j = Math.floor(q / H);
      if (listed[j]) visit(j, q - j * H, near[t + 1], v.exactZone);
    }
  }
  const unlisted = Array.from({ length: N }, (_, j) => j).filter((j) => !listed[j]);
  const rowPre = v.rowPre;
  if (rowPre) {
    for (const j of unlisted) for (let k = 0; k < H; k++) visit(j, k, rowPre[j * H + k], v.exactZone);
    return flips;
  }
  // k-major features only: the rows of h of the unlisted examples, recomputed in chunks (within their bound of 0 in float64)
  const chunk = Math.max(1, Math.floor(2 ** 22 / H));
  for (let c0 = 0; c0 < unlisted.length; c0 += chunk) {
    const js = unlisted.slice(c0, c0 + chunk);
    const h = await v.recompute(js);
    js.forEach((j, t) => {
      for (let k = 0; k < H; k++) visit(j, k, h[t * H + k], true);
    });
  }
  return flips;
}

/**
 * The same corrections at the probed examples themselves only (the
 * diagonal, column rows[r] of row r), for steps of any size: a function of
 * (r, e) with G~_ii = gt[r]. Served from the near-zero list while it covers
 * the step, else from the example's exact row of h (recomputed once, kept).
 * O(listed entries of the example) per call; what the authors' eta search
 * evaluates for every step it tries.
 */
export function selfReluFlips(net: MlpNet, F: MlpNetFeatures<boolean>, x: Float32Array | Float64Array, rows: number[], gt: Float64Array, products: Products): (r: number, e: number) => Promise<number> {
  const v = reluLayerView(net, F, x, products);
  const { H, a, absA } = v;
  // the near-zero entries of each probed example (their places in the list)
  const listedAt = new Map<number, number[]>(rows.map((i) => [i, []]));
  if (v.near) {
    for (let t = 0; t < v.near.length; t += 2) listedAt.get(Math.floor(v.near[t] / H))?.push(t);
  }
  const rowsOfH = new Map<number, Float64Array>();
  const exactRow = async (i: number): Promise<Float64Array> => {
    let h = rowsOfH.get(i);
    if (!h) {
      h = v.rowPre ? v.rowPre.subarray(i * H, (i + 1) * H) : await v.recompute([i]);
      rowsOfH.set(i, h);
    }
    return h;
  };
  return async (r, e) => {
    const i = rows[r];
    const g = -e * gt[r];
    const R = Math.abs(g);
    let sum = 0;
    const visit = (k: number, h: number, exactZone: boolean): void => {
      const reach = R * absA[k];
      const hj = candidatePre(v, i, k, h, reach, exactZone);
      if (hj === undefined || Math.abs(hj) > reach) return;
      const s = v.onAct(i, k);
      if (s < 0) return;
      const dh = g * a[k];
      if (hj * (hj + dh) <= 0) sum += reluFlipCorrection(hj, dh, a[k], s, e);
    };
    if (listCovers(v, i, R)) {
      const near = v.near!;
      for (const t of listedAt.get(i)!) visit(near[t] - i * H, near[t + 1], v.exactZone);
      return sum;
    }
    const h = await exactRow(i);
    const exactZone = v.rowPre ? v.exactZone : true;
    for (let k = 0; k < H; k++) visit(k, h[k], exactZone);
    return sum;
  };
}
