import { matMulABt, mlpHiddenFeatures, sigmoid } from '@elasticity/core';
import type { DenseMlp, MlpHiddenFeatures } from '@elasticity/core';

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
