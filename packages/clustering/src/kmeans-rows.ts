import type { ClusteringResult, RestartOptions } from './clustering-result.ts';
import { kmeansOnce } from './kmeans-lloyd.ts';
import { memoryRows } from './matrix-rows.ts';
import type { RowSource, Rows } from './matrix-rows.ts';
import { deriveSeeds } from './restart-seeds.ts';
import { runSharingPasses } from './shared-passes.ts';

export interface KmeansRowsOptions extends RestartOptions {
  /** Stop a run when no centre moves more than this squared distance (as ml-kmeans). Default 1e-6. */
  tolerance?: number;
}

/**
 * K-means (greedy k-means++ seeding, Lloyd iterations) on the rows of a
 * row source (feature vectors, rows of a similarity matrix in memory or in
 * a file), once per seed: each runs `restarts` seeded starts and keeps the
 * one with the lowest within-cluster sum of squares, as scikit-learn's
 * n_init does. Every start of every seed runs together, sharing the passes
 * over the rows (runSharingPasses): a file is read 2k + 2 + (iterations of
 * the slowest start) times or so.
 *
 * Lloyd's iterations are this package's own, on flat Float64Arrays
 * (tested to give ml-kmeans's partition from the same start): ml-kmeans
 * copies the data into an ml-matrix for its seeding and works on number
 * arrays, which at the rows of a 10,000 x 10,000 matrix costs another
 * 800 MB and minutes per restart.
 */
export async function kmeansRowsSeeds(source: RowSource, k: number, seeds: number[], options: Omit<KmeansRowsOptions, 'seed'>): Promise<ClusteringResult[]> {
  const { restarts = 10, maxIterations = 300, tolerance = 1e-6 } = options;
  const { n } = source;
  if (!Number.isInteger(k) || k < 1 || k > n) throw new RangeError(`k = ${k} must be an integer in 1..${n}`);
  if (!Number.isInteger(restarts) || restarts < 1) throw new RangeError('restarts must be at least 1');
  const starts = seeds.flatMap((seed) => deriveSeeds(seed, restarts));
  const runs = await runSharingPasses(source, starts.map((start) => (rows: Rows) => kmeansOnce(rows, k, start, { maxIterations, tolerance })));
  return seeds.map((_, s) => {
    let best: ClusteringResult | undefined;
    for (let restart = 0; restart < restarts; restart++) {
      const run = runs[s * restarts + restart];
      if (best === undefined || run.objective < best.objective) {
        best = { clusters: run.clusters, objective: run.objective, iterations: run.iterations, converged: run.converged, restart };
      }
    }
    return best!;
  });
}

/** K-means on the rows of an n x dim row-major matrix in memory, with one seed (kmeansRowsSeeds). */
export async function kmeansRows(values: Float64Array, n: number, dim: number, k: number, options: KmeansRowsOptions): Promise<ClusteringResult> {
  if (values.length !== n * dim) throw new RangeError(`${values.length} values for ${n} x ${dim}`);
  return (await kmeansRowsSeeds(memoryRows(values, n, dim), k, [options.seed], options))[0];
}
