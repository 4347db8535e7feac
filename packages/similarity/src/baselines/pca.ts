import { Matrix } from 'ml-matrix';
import { PCA } from 'ml-pca';
import { matMulABt } from '@elasticity/core';
import type { FeatureRows } from '@elasticity/core';

export interface PcaResult {
  /** Row-major n x components: the centred data projected on the leading principal axes. */
  scores: Float64Array;
  components: number;
  /** Principal axes, row-major components x d (unit vectors). */
  axes: Float64Array;
  /** Column means subtracted before projecting. */
  means: Float64Array;
  /** Variance along each kept axis (eigenvalues of the sample covariance, divisor n - 1). */
  variances: Float64Array;
}

/** The number of components actually kept: `wanted` capped at min(n, d). */
export function pcaComponentCount(wanted: number, n: number, d: number): number {
  return Math.max(1, Math.min(wanted, n, d));
}

/**
 * Principal axes (columns of a d x r matrix, by decreasing variance) and
 * variances of centred n x d data, with ml-pca. When n >= d the d x d sample
 * covariance is formed with core's blocked float64 product and ml-pca takes
 * its eigendecomposition (1000 x 784: ~4 s against ~7-12 s for ml-pca's SVD
 * of the data); when n < d ml-pca's SVD of the (smaller) data is used.
 */
function principalAxes(centred: Float64Array, n: number, d: number): { axes: Matrix; variances: number[] } {
  let pca: PCA;
  if (n >= d) {
    const transposed = new Float64Array(d * n);
    for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) transposed[j * n + i] = centred[i * d + j];
    const cov = matMulABt(transposed, transposed, d, d, n);
    const covariance = new Matrix(d, d);
    for (let a = 0; a < d; a++) for (let b = 0; b < d; b++) covariance.set(a, b, cov[a * d + b] / (n - 1));
    pca = new PCA(covariance, { isCovarianceMatrix: true });
  } else {
    const data = new Matrix(n, d);
    for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) data.set(i, j, centred[i * d + j]);
    pca = new PCA(data, { method: 'SVD', center: false, scale: false });
  }
  return { axes: pca.getEigenvectors(), variances: pca.getEigenvalues() };
}

/**
 * PCA (centred, not scaled) of an n x d row-major data set, keeping
 * min(components, n, d) components.
 */
export function pcaProject(values: Float64Array | Float32Array, n: number, d: number, components: number): PcaResult {
  if (n < 2) throw new RangeError(`PCA needs at least 2 examples, got ${n}`);
  const means = new Float64Array(d);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) means[j] += values[i * d + j];
  for (let j = 0; j < d; j++) means[j] /= n;
  const centred = new Float64Array(n * d);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) centred[i * d + j] = values[i * d + j] - means[j];

  const { axes: u, variances } = principalAxes(centred, n, d);
  const kept = Math.min(pcaComponentCount(components, n, d), u.columns);
  const axes = new Float64Array(kept * d);
  for (let c = 0; c < kept; c++) for (let j = 0; j < d; j++) axes[c * d + j] = u.get(j, c);
  const scores = matMulABt(centred, axes, n, kept, d);
  return { scores, components: kept, axes, means, variances: Float64Array.from(variances.slice(0, kept), (v) => Math.max(0, v)) };
}

/** PCA baseline features: the projected coordinates of the given rows. */
export function pcaFeatures(raw: FeatureRows, components: number): FeatureRows {
  const result = pcaProject(raw.values, raw.ids.length, raw.dim, components);
  return { kind: 'pca', ids: Int32Array.from(raw.ids), values: result.scores, dim: result.components };
}
