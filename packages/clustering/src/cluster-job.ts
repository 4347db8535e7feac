import { ElasticityError, matMulABt } from '@elasticity/core';
import type { Logger } from '@elasticity/core';
import type { ClusterConfig, ClusterJob } from './cluster-config.ts';
import type { ClusterInput } from './read-cluster-input.ts';
import type { ClusteringResult } from './clustering-result.ts';
import { kmeansRows } from './kmeans-rows.ts';
import { checkKernel, kernelKmeans } from './kernel-kmeans.ts';
import { clusterEmbedding, spectralEmbedding } from './spectral.ts';

/** One (input, method) pair made ready: the seed-independent work is done, each call clusters with one seed. */
export type PreparedJob = (seed: number) => ClusteringResult;

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
export function prepareJob(input: ClusterInput, job: ClusterJob, ctx: PrepareContext): PreparedJob {
  const { config, file, log } = ctx;
  const n = input.ids.length;
  const common = { restarts: config.restarts, maxIterations: config.maxIterations };
  if (job.method === 'kmeans') {
    const dim = input.type === 'matrix' ? n : input.dim;
    return (seed) => kmeansRows(input.values, n, dim, config.k, { ...common, seed });
  }
  if (job.method === 'kernel-kmeans') {
    const kernel = input.type === 'matrix' ? input.values : matMulABt(input.values, input.values, n, n, input.dim);
    const nonPositive = checkKernel(kernel, n, 1e-6, { file, field: input.type === 'matrix' ? 'row' : 'x' });
    if (nonPositive.length > 0) {
      const [first] = nonPositive;
      log.warn(`${job.input}: ${nonPositive.length} of ${n} diagonal entries are not positive (first: K(${first.index}, ${first.index}) = ${first.value}); `
        + 'a kernelized similarity from float32 forward differences is noise where the loss slope is near 0 (a fixed eta, or the fast path, avoids it); clustering goes on');
    }
    return (seed) => kernelKmeans(kernel, n, config.k, { ...common, seed, assumeChecked: true });
  }
  if (input.type !== 'matrix') {
    throw new ElasticityError(
      `spectral clustering needs a similarity matrix as its affinity, but "${job.input}" is a features file (${file}); use kmeans or kernel-kmeans for features`,
      { file: ctx.pipelineFile, field: `cluster.methods[${ctx.index}].method` },
    );
  }
  const started = performance.now();
  const embedding = spectralEmbedding(input.values, n, config.k, { seed: ctx.seed, solver: config.eigenSolver, file, field: 'row' });
  if (embedding.clippedNegative > 0) log.warn(`${job.input}: ${embedding.clippedNegative} negative affinities treated as 0 for spectral clustering`);
  if (!embedding.converged) log.warn(`${job.input}: eigensolver stopped at relative residual ${embedding.residual.toExponential(2)}`);
  log.info(`${job.input}: spectral embedding, eigenvalues ${Array.from(embedding.eigenvalues, (v) => v.toFixed(6)).join(', ')} in ${((performance.now() - started) / 1000).toFixed(2)} s`);
  return (seed) => clusterEmbedding(embedding, n, config.k, { ...common, seed });
}
