import { dot } from '@elasticity/core';
import type { MlpNet, MlpNetFeatures, Products } from '@elasticity/mlp-engine';
import { selfReluFlips } from './relu-flips.ts';

/**
 * The change of each probed example's own logit after the step at it,
 * dz_ii, as a function of (row r, e = eta l'_i dOut/dlogit_i), for the
 * models of matrixNetProbe: the diagonal of its formulas,
 *   1-layer: dz_ii = -e G~_ii
 *   linear:  dz_ii = -e G~_ii (a.a - e a.h_i) - e (h_i.h_i + 1)
 *   ReLU:    dz_ii = -e G~_ii (sum_{k on} a_k^2 - e sum_k a_k s_ik) - e (s_i.s_i + 1) + (units that switch off)
 * with G~_ii = x_i.x_i + 1. One pass over the features (O(width) per row)
 * builds the sums; each call then costs O(1) plus the units near 0 of
 * that example. What the authors' eta search evaluates for every step it
 * tries, before the one batched probe.
 */
export async function matrixSelfChange(
  net: MlpNet, F: MlpNetFeatures<boolean>, x: Float32Array | Float64Array, rows: number[], products: Products,
): Promise<(r: number, e: number) => Promise<number>> {
  const d = net.d;
  const nr = rows.length;
  const gt = Float64Array.from(rows, (i) => dot(x, i * d, x, i * d, d) + 1);
  if (net.layers.length === 0) return async (r, e) => -e * gt[r];
  const { units: H, activation } = net.layers[0];
  const a = net.a;
  if (activation === 'linear') {
    const pre = F.pre[0];
    if (!pre) throw new Error('matrixSelfChange: a linear layer needs row-major features');
    let aa = 0;
    for (let k = 0; k < H; k++) aa += a[k] * a[k];
    const ah = Float64Array.from(rows, (i) => dot(a, 0, pre, i * H, H));
    const hh = Float64Array.from(rows, (i) => dot(pre, i * H, pre, i * H, H));
    return async (r, e) => -e * gt[r] * (aa - e * ah[r]) - e * (hh[r] + 1);
  }
  // ReLU: sums over the active units of each probed example
  const a2 = new Float64Array(nr), as = new Float64Array(nr), ss = new Float64Array(nr);
  const kf = F.kMajor?.[0];
  const N = F.n;
  if (kf?.mask) {
    // k-major float32 activations: one pass over the units active at some example, reading each probed example's column
    const act = kf.act;
    const units = kf.active ?? Int32Array.from({ length: H }, (_, k) => k);
    for (const k of units) {
      const ak = a[k], ak2 = ak * ak, o = k * N;
      for (let r = 0; r < nr; r++) {
        const s = act[o + rows[r]];
        if (s > 0) {
          a2[r] += ak2;
          as[r] += ak * s;
          ss[r] += s * s;
        }
      }
    }
  } else {
    const act = F.act[0];
    if (!act) throw new Error('matrixSelfChange: features hold neither k-major nor row-major activations');
    rows.forEach((i, r) => {
      for (let k = 0; k < H; k++) {
        const s = act[i * H + k];
        if (s > 0) {
          a2[r] += a[k] * a[k];
          as[r] += a[k] * s;
          ss[r] += s * s;
        }
      }
    });
  }
  const flips = selfReluFlips(net, F, x, rows, gt, products);
  return async (r, e) => -e * gt[r] * (a2[r] - e * as[r]) - e * (ss[r] + 1) + (await flips(r, e));
}
