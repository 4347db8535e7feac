import { kmeans } from 'ml-kmeans';
import type { ClusteringResult, RestartOptions } from './clustering-result.ts';
import { deriveSeeds } from './restart-seeds.ts';

export interface KmeansRowsOptions extends RestartOptions {
  /** Convergence tolerance on the squared movement of each centroid (ml-kmeans). Default 1e-6. */
  tolerance?: number;
}

/** Sum over rows of the squared distance to the mean of the row's cluster. */
export function withinClusterSumOfSquares(values: Float64Array, n: number, dim: number, k: number, clusters: ArrayLike<number>): number {
  const means = new Float64Array(k * dim);
  const sizes = new Float64Array(k);
  for (let i = 0; i < n; i++) {
    const c = clusters[i];
    sizes[c]++;
    for (let j = 0; j < dim; j++) means[c * dim + j] += values[i * dim + j];
  }
  for (let c = 0; c < k; c++) if (sizes[c] > 0) for (let j = 0; j < dim; j++) means[c * dim + j] /= sizes[c];
  let total = 0;
  for (let i = 0; i < n; i++) {
    const c = clusters[i];
    for (let j = 0; j < dim; j++) total += (values[i * dim + j] - means[c * dim + j]) ** 2;
  }
  return total;
}

/**
 * K-means (k-means++ initialisation, Lloyd iterations; ml-kmeans) on the rows
 * of an n x dim row-major matrix: feature vectors, or rows of a similarity
 * matrix. Runs `restarts` seeded starts and keeps the one with the lowest
 * within-cluster sum of squares, as scikit-learn's n_init does.
 */
export function kmeansRows(values: Float64Array, n: number, dim: number, k: number, options: KmeansRowsOptions): ClusteringResult {
  const { seed, restarts = 10, maxIterations = 300, tolerance = 1e-6 } = options;
  if (!Number.isInteger(k) || k < 1 || k > n) throw new RangeError(`k = ${k} must be an integer in 1..${n}`);
  if (values.length !== n * dim) throw new RangeError(`${values.length} values for ${n} x ${dim}`);
  const rows: number[][] = Array.from({ length: n }, (_, i) => Array.from(values.subarray(i * dim, (i + 1) * dim)));
  let best: ClusteringResult | undefined;
  deriveSeeds(seed, restarts).forEach((restartSeed, restart) => {
    const result = kmeans(rows, k, { seed: restartSeed, initialization: 'kmeans++', maxIterations, tolerance });
    const clusters = Int32Array.from(result.clusters);
    const objective = withinClusterSumOfSquares(values, n, dim, k, clusters);
    if (best === undefined || objective < best.objective) {
      best = { clusters, objective, iterations: result.iterations, converged: result.converged, restart };
    }
  });
  if (best === undefined) throw new RangeError('restarts must be at least 1');
  return best;
}
