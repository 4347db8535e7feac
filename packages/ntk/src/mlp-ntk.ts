import { matMulABt } from '@elasticity/core';
import { FLOAT64_PRODUCTS, gatherRows, mlpHiddenFeatures, mlpNetFeatures, readoutWidth, sigmoid } from '@elasticity/mlp-engine';
import type { DenseMlp, MlpHiddenFeatures, MlpNet, MlpNetFeatures, Products } from '@elasticity/mlp-engine';

/**
 * Closed-form empirical NTK of a 2-layer MLP f(x) = a . s(W x + b) + c over
 * n examples (row-major n x d): K(x_i, x_j) = <grad_w f(x_i), grad_w f(x_j)>
 *   = s(h_i).s(h_j) + 1 + (x_i.x_j + 1)(u_i.u_j),  u = a (*) s'(h)
 * (terms from a, c, W and b in that order). With a sigmoid output
 * p = sigmoid(f): K_p(x_i, x_j) = p_i(1-p_i) p_j(1-p_j) K_f(x_i, x_j).
 * Three float64 Gram products (matMulABt); returns n x n row-major.
 */
export function mlpNtk(mlp: DenseMlp, x: Float32Array | Float64Array, n: number, features?: MlpHiddenFeatures): Float64Array {
  const F = features ?? mlpHiddenFeatures(mlp, x, n);
  const K = matMulABt(F.act, F.act, n, n, mlp.h);
  const uu = matMulABt(F.u, F.u, n, n, mlp.h);
  const gram = matMulABt(x, x, n, n, mlp.d);
  for (let q = 0; q < n * n; q++) K[q] += 1 + (gram[q] + 1) * uu[q];
  if (mlp.sigmoidOutput) {
    // dp/dz = p (1 - p) = sigmoid(z) sigmoid(-z), accurate also where p is close to 0 or 1
    const slope = F.logit.map((z) => sigmoid(z) * sigmoid(-z));
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) K[i * n + j] *= slope[i] * slope[j];
  }
  return K;
}

export interface MlpNetNtkOptions {
  /** Rows of the kernel to compute (indices into x; default all): a row shard. Columns are always all n examples. */
  rows?: ArrayLike<number>;
  products?: Products;
  /** 'auto' precision of the products as for this many rows (default rows.length): a block of a larger kernel is computed as the whole kernel is. */
  precisionRows?: number;
  /** Forward and backward features of all n examples (computed when absent; must include `back`, row-major or k-major). */
  features?: MlpNetFeatures<boolean>;
}

/**
 * Closed-form empirical NTK of any model of the MLP family (1-layer, 2- and
 * 3-layer, residual; method.md section 7 layer by layer). With z_0 = x,
 * z_l the activations, r the readout's input and g_l = d logit / d h_l
 * (the gradient w.r.t. b_l; the one w.r.t. W_l is g_l z_{l-1}^T):
 *   K(x_i, x_j) = r_i.r_j + 1 + sum_l (z_{l-1,i}.z_{l-1,j} + 1)(g_{l,i}.g_{l,j})
 * (readout weights and bias, then each hidden layer's weights and bias);
 * times p_i(1-p_i) p_j(1-p_j) for a sigmoid output. Two Gram products per
 * layer; rows.length x n, row-major. A readout layer run as float32 tiles
 * is read from its k-major copies only (its n x width float64 matrices are
 * not made when the features are computed here).
 */
export async function mlpNetNtk(net: MlpNet, x: Float32Array | Float64Array, n: number, options: MlpNetNtkOptions = {}): Promise<Float64Array> {
  const products = options.products ?? FLOAT64_PRODUCTS;
  const F = options.features ?? (await mlpNetFeatures(net, x, n, products, { backward: true, rowMajor: false }));
  const rows = options.rows ?? Array.from({ length: n }, (_, i) => i);
  const nr = rows.length;
  const precisionRows = options.precisionRows ?? nr;
  const R = readoutWidth(net);
  const L = net.layers.length;
  const aCols = Int32Array.from(rows);
  /** Gram rows x all of a feature matrix: from its float32 k-major copy (made with the features: no transposition) when there is one. */
  const gram = (m: Float64Array | undefined, kMajor: Float32Array | undefined, width: number, what: string, kRows?: Int32Array): Promise<Float64Array> => {
    if (kMajor) return products.abt(undefined, undefined, nr, n, width, { aT: kMajor, aCols, bT: kMajor, kRows, precisionRows });
    if (!m) throw new Error(`mlpNetNtk: the features hold no ${what}`);
    return products.abt(gatherRows(m, width, rows), m, nr, n, width, { precisionRows });
  };
  // every Gram queued at once (the workers go from one to the next without waiting for this thread);
  // a ReLU layer's units active at no example add nothing: its Grams run over the active ones
  const layerGrams = net.layers.map(({ inputs, units }, l) => {
    const z = l === 0 ? x : F.act[l - 1];
    if (!z) throw new Error(`mlpNetNtk: the features hold no activations of layer ${l}`);
    return [
      products.abt(gatherRows(z, inputs, rows), z, nr, n, inputs, { precisionRows }),
      gram(F.back[l], F.kMajor?.[l]?.back, units, `backward vectors of layer ${l + 1}`, F.kMajor?.[l]?.active),
    ];
  });
  const readinGram = gram(F.readin, L > 0 && net.readout === 'last' ? F.kMajor?.[L - 1]?.act : undefined, R, 'readout input', F.kMajor?.[L - 1]?.active);
  // (awaited below; not unhandled rejections meanwhile)
  for (const p of layerGrams.flat()) void p.catch(() => undefined);
  const K = await readinGram;
  for (let q = 0; q < nr * n; q++) K[q] += 1;
  for (const [pendingZz, pendingGg] of layerGrams) {
    const [zz, gg] = [await pendingZz, await pendingGg];
    for (let q = 0; q < nr * n; q++) K[q] += (zz[q] + 1) * gg[q];
  }
  if (net.sigmoidOutput) {
    const slope = F.logit.map((z) => sigmoid(z) * sigmoid(-z));
    for (let r = 0; r < nr; r++) for (let j = 0; j < n; j++) K[r * n + j] *= slope[rows[r]] * slope[j];
  }
  return K;
}
