import { matMulABt } from '@elasticity/core';

export interface InfiniteNtkOptions {
  /** Weight variance factor sigma_w^2 (default 2, He scaling: ReLU layers keep the signal's scale). */
  sigmaW2?: number;
  /** Bias variance sigma_b^2 (default 0). */
  sigmaB2?: number;
  /** Rows of the kernel (indices into x; default all); columns are always all n examples. */
  rows?: ArrayLike<number>;
}

/**
 * E[relu(u) relu(v)] and E[1(u > 0) 1(v > 0)] for (u, v) centred Gaussian with
 * variances sxx, syy and covariance sxy (the arc-cosine kernels of order 1 and 0).
 */
export function reluExpectations(sxx: number, syy: number, sxy: number): { k1: number; k0: number } {
  const norm = Math.sqrt(sxx * syy);
  if (norm === 0) return { k1: 0, k0: 0.25 };
  const cos = Math.max(-1, Math.min(1, sxy / norm));
  const theta = Math.acos(cos);
  return {
    k1: (norm / (2 * Math.PI)) * (Math.sin(theta) + (Math.PI - theta) * cos),
    k0: (Math.PI - theta) / (2 * Math.PI),
  };
}

/**
 * The infinite-width NTK of a ReLU MLP with `depth` hidden layers (NTK
 * parameterisation: h_1 = sigma_w W_1 x / sqrt(d) + sigma_b b_1,
 * h_{l+1} = sigma_w W_{l+1} relu(h_l) / sqrt(H) + sigma_b b_{l+1}, output
 * f = h_{depth+1}, all weights standard normal), by the arc-cosine recursion:
 *   S_1 = sigma_w^2 x.x' / d + sigma_b^2,  T_1 = S_1,
 *   S_{l+1} = sigma_w^2 k1(S_l) + sigma_b^2,  S'_{l+1} = sigma_w^2 k0(S_l),
 *   T_{l+1} = S_{l+1} + T_l S'_{l+1};   K = T_{depth+1}.
 * A data-only comparison kernel: it depends on the inputs and the depth,
 * not on any trained weights. depth 0 gives the linear kernel S_1.
 */
export function reluInfiniteNtk(x: Float32Array | Float64Array, n: number, depth: number, options: InfiniteNtkOptions = {}): Float64Array {
  const d = x.length / n;
  const sw = options.sigmaW2 ?? 2;
  const sb = options.sigmaB2 ?? 0;
  const rows = options.rows ?? Array.from({ length: n }, (_, i) => i);
  const nr = rows.length;
  const gram = matMulABt(x, x, n, n, d);
  // per-example diagonal S_l(x, x) for every layer
  const diag: Float64Array[] = [Float64Array.from({ length: n }, (_, j) => (sw * gram[j * n + j]) / d + sb)];
  for (let l = 1; l <= depth; l++) diag.push(diag[l - 1].map((s) => sw * (s / 2) + sb)); // k1(s, s, s) = s / 2
  const K = new Float64Array(nr * n);
  for (let r = 0; r < nr; r++) {
    const i = rows[r];
    for (let j = 0; j < n; j++) {
      let S = (sw * gram[i * n + j]) / d + sb;
      let T = S;
      for (let l = 1; l <= depth; l++) {
        const { k1, k0 } = reluExpectations(diag[l - 1][i], diag[l - 1][j], S);
        const Sdot = sw * k0;
        S = sw * k1 + sb;
        T = S + T * Sdot;
      }
      K[r * n + j] = T;
    }
  }
  return K;
}
