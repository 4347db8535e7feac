import type { ClusteringResult, RestartOptions } from './clustering-result.ts';
import { kmeansOnce } from './kmeans-lloyd.ts';
import { deriveSeeds } from './restart-seeds.ts';

export interface KmeansRowsOptions extends RestartOptions {
  /** Stop a run when no centre moves more than this squared distance (as ml-kmeans). Default 1e-6. */
  tolerance?: number;
}

/**
 * K-means (greedy k-means++ seeding, Lloyd iterations) on the rows of an
 * n x dim row-major matrix: feature vectors, or rows of a similarity
 * matrix. Runs `restarts` seeded starts and keeps the one with the lowest
 * within-cluster sum of squares, as scikit-learn's n_init does.
 *
 * Lloyd's iterations are this package's own, on the flat Float64Array
 * (tested to give ml-kmeans's partition from the same start): ml-kmeans
 * copies the data into an ml-matrix for its seeding and works on number
 * arrays, which at the rows of a 10,000 x 10,000 matrix costs another
 * 800 MB and minutes per restart.
 */
export function kmeansRows(values: Float64Array, n: number, dim: number, k: number, options: KmeansRowsOptions): ClusteringResult {
  const { seed, restarts = 10, maxIterations = 300, tolerance = 1e-6 } = options;
  if (!Number.isInteger(k) || k < 1 || k > n) throw new RangeError(`k = ${k} must be an integer in 1..${n}`);
  if (values.length !== n * dim) throw new RangeError(`${values.length} values for ${n} x ${dim}`);
  if (!Number.isInteger(restarts) || restarts < 1) throw new RangeError('restarts must be at least 1');
  let best: ClusteringResult | undefined;
  deriveSeeds(seed, restarts).forEach((restartSeed, restart) => {
    const run = kmeansOnce(values, n, dim, k, restartSeed, { maxIterations, tolerance });
    if (best === undefined || run.objective < best.objective) {
      best = { clusters: run.clusters, objective: run.objective, iterations: run.iterations, converged: run.converged, restart };
    }
  });
  return best!;
}
