import { ElasticityError } from '@elasticity/core';
import { checkSymmetric } from './check-symmetric.ts';
import type { ClusteringResult, RestartOptions } from './clustering-result.ts';
import { kmeansRowsSeeds } from './kmeans-rows.ts';
import { memoryRows } from './matrix-rows.ts';
import type { RowSource } from './matrix-rows.ts';
import { normalizedAffinityOperator } from './eigen/symmetric-operator.ts';
import { topEigenpairs } from './eigen/top-eigenpairs.ts';
import type { EigenSolver } from './eigen/top-eigenpairs.ts';

export interface SpectralEmbeddingOptions {
  /** Seed of the eigensolver's starting block. */
  seed: number;
  /** Largest allowed |S_ij - S_ji| relative to max(|S_ij|, |S_ji|). Default 1e-6. */
  symmetryTolerance?: number;
  solver?: EigenSolver;
  /** Relative residual the iterative eigensolver stops at; default 1e-8. */
  eigenTolerance?: number;
  /** Where the affinity came from, for error messages. */
  file?: string;
  field?: string;
}

export interface SpectralEmbedding {
  /** Row-major n x k: the top-k eigenvectors of D^-1/2 S D^-1/2, each row scaled to unit length. */
  rows: Float64Array;
  /** The k largest eigenvalues of D^-1/2 S D^-1/2 (at most 1). */
  eigenvalues: Float64Array;
  /** Entries of S below 0 that were treated as 0. */
  clippedNegative: number;
  converged: boolean;
  residual: number;
}

const AFFINITY_NAMES = { noun: 'affinity', symbol: 'S', neededBy: 'spectral clustering needs a symmetric affinity' };

/**
 * Throws unless S (n x n) is finite and symmetric within a relative
 * tolerance; returns the number of negative entries.
 */
export async function checkAffinity(s: Float64Array, n: number, tolerance: number, where: { file?: string; field?: string } = {}): Promise<number> {
  return (await checkSymmetric(memoryRows(s, n, n), tolerance, AFFINITY_NAMES, where)).negative;
}

/**
 * The spectral embedding of Ng, Jordan & Weiss (2002) for a precomputed
 * affinity S (in memory or read from a file in passes): negative entries
 * count as 0 (an affinity is a similarity >= 0), D = diag(row sums), the
 * top-k eigenvectors of the normalised affinity D^-1/2 S D^-1/2
 * (equivalently the bottom-k of the normalised Laplacian), each row scaled
 * to unit length. The normalised affinity is applied on the fly, one pass
 * over S per block of vectors: no n x n copy of S.
 */
export async function spectralEmbeddingOf(s: RowSource, k: number, options: SpectralEmbeddingOptions): Promise<SpectralEmbedding> {
  const { seed, symmetryTolerance = 1e-6, solver, eigenTolerance = 1e-8, file, field } = options;
  const { n } = s;
  if (!Number.isInteger(k) || k < 1 || k > n) throw new RangeError(`k = ${k} must be an integer in 1..${n}`);
  const clippedNegative = (await checkSymmetric(s, symmetryTolerance, AFFINITY_NAMES, { file, field })).negative;
  const invSqrtDegree = new Float64Array(n);
  await s.pass((rows, from, to) => {
    for (let i = from; i < to; i++) {
      let d = 0;
      const row = (i - from) * n;
      for (let j = 0; j < n; j++) {
        const v = rows[row + j];
        if (v > 0) d += v;
      }
      if (!(d > 0)) {
        throw new ElasticityError(`spectral clustering needs every example to have a positive total affinity, but row ${i} sums to ${d} (after treating negative entries as 0)`, { file, field });
      }
      invSqrtDegree[i] = 1 / Math.sqrt(d);
    }
  });
  const op = normalizedAffinityOperator(s, invSqrtDegree, clippedNegative > 0);
  const eig = await topEigenpairs(op, k, { seed, solver, tolerance: eigenTolerance });
  const rows = new Float64Array(n * k);
  for (let i = 0; i < n; i++) {
    let norm = 0;
    for (let c = 0; c < k; c++) norm += eig.vectors[c][i] ** 2;
    norm = Math.sqrt(norm);
    for (let c = 0; c < k; c++) rows[i * k + c] = norm > 0 ? eig.vectors[c][i] / norm : 0;
  }
  return { rows, eigenvalues: eig.values, clippedNegative, converged: eig.converged, residual: eig.residual };
}

/** spectralEmbeddingOf an n x n affinity in memory. */
export function spectralEmbedding(s: Float64Array, n: number, k: number, options: SpectralEmbeddingOptions): Promise<SpectralEmbedding> {
  return spectralEmbeddingOf(memoryRows(s, n, n), k, options);
}

/** K-means (seeded restarts, lowest within-cluster sum of squares) on the rows of a spectral embedding, once per seed. */
export function clusterEmbedding(embedding: SpectralEmbedding, n: number, k: number, seeds: number[], options: Omit<RestartOptions, 'seed'>): Promise<ClusteringResult[]> {
  return kmeansRowsSeeds(memoryRows(embedding.rows, n, k), k, seeds, options);
}

/** Spectral clustering with a precomputed affinity in memory: the embedding above, then K-means on its rows. */
export async function spectralClustering(s: Float64Array, n: number, k: number, options: SpectralEmbeddingOptions & RestartOptions): Promise<ClusteringResult> {
  return (await clusterEmbedding(await spectralEmbedding(s, n, k, options), n, k, [options.seed], options))[0];
}
