import { ElasticityError, matMulABt } from '@elasticity/core';
import type { Logger } from '@elasticity/core';
import type { ClusterConfig, ClusterJob } from './cluster-config.ts';
import type { ClusterInput } from './read-cluster-input.ts';
import type { ClusteringResult } from './clustering-result.ts';
import { memoryRows } from './matrix-rows.ts';
import { kmeansRowsSeeds } from './kmeans-rows.ts';
import { checkKernelRows, kernelKmeansSeeds } from './kernel-kmeans.ts';
import { clusterEmbedding, spectralEmbeddingOf } from './spectral.ts';

/** One (input, method) pair made ready: the seed-independent work is done, a call clusters once per seed (all seeds together). */
export type PreparedJob = (seeds: number[]) => Promise<ClusteringResult[]>;

export interface PrepareContext {
  config: ClusterConfig;
  /** Index of the job in cluster.methods, for error messages. */
  index: number;
  /** The input file, for error messages. */
  file: string;
  pipelineFile: string;
  /** Seed of seed-independent randomness (the eigensolver's start). */
  seed: number;
  log: Logger;
}

/**
 * Prepares a job once, so that repeating it over seeds repeats only the
 * seeded part: kernel checks run once, spectral clustering computes its
 * embedding (the eigenvectors) once and repeats only K-means on it.
 * Features go to kernel K-means through the linear kernel X X^T.
 */
export async function prepareJob(input: ClusterInput, job: ClusterJob, ctx: PrepareContext): Promise<PreparedJob> {
  const { config, file, log } = ctx;
  const n = input.ids.length;
  const common = { restarts: config.restarts, maxIterations: config.maxIterations };
  if (job.method === 'kmeans') {
    const rows = input.type === 'matrix' ? input.rows : memoryRows(input.values, n, input.dim);
    return (seeds) => kmeansRowsSeeds(rows, config.k, seeds, common);
  }
  if (job.method === 'kernel-kmeans') {
    const kernel = input.type === 'matrix' ? input.rows : memoryRows(matMulABt(input.values, input.values, n, n, input.dim), n, n);
    const { diagonal, nonPositive } = await checkKernelRows(kernel, 1e-6, { file, field: input.type === 'matrix' ? 'row' : 'x' });
    if (nonPositive.length > 0) {
      const [first] = nonPositive;
      log.warn(`${job.input}: ${nonPositive.length} of ${n} diagonal entries are not positive (first: K(${first.index}, ${first.index}) = ${first.value}); `
        + 'a kernelized similarity from float32 forward differences is noise where the loss slope is near 0 (a fixed eta, or the fast path, avoids it); clustering goes on');
    }
    return (seeds) => kernelKmeansSeeds(kernel, config.k, diagonal, seeds, common);
  }
  if (input.type !== 'matrix') {
    throw new ElasticityError(
      `spectral clustering needs a similarity matrix as its affinity, but "${job.input}" is a features file (${file}); use kmeans or kernel-kmeans for features`,
      { file: ctx.pipelineFile, field: `cluster.methods[${ctx.index}].method` },
    );
  }
  const started = performance.now();
  const embedding = await spectralEmbeddingOf(input.rows, config.k, { seed: ctx.seed, solver: config.eigenSolver, file, field: 'row' });
  if (embedding.clippedNegative > 0) log.warn(`${job.input}: ${embedding.clippedNegative} negative affinities treated as 0 for spectral clustering`);
  if (!embedding.converged) log.warn(`${job.input}: eigensolver stopped at relative residual ${embedding.residual.toExponential(2)}`);
  log.info(`${job.input}: spectral embedding, eigenvalues ${Array.from(embedding.eigenvalues, (v) => v.toFixed(6)).join(', ')} in ${((performance.now() - started) / 1000).toFixed(2)} s`);
  return (seeds) => clusterEmbedding(embedding, n, config.k, seeds, common);
}
