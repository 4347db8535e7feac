import { access } from 'node:fs/promises';
import { join } from 'node:path';
import {
  ElasticityError, createProgress, matrixRowsWithin, primaryIndices, readDatasetFile, runStage, summarize, writeClustersFile, writeFileAtomic,
} from '@elasticity/core';
import type { Summary } from '@elasticity/core';
import { parseClusterConfig } from './cluster-config.ts';
import type { ClusterConfig } from './cluster-config.ts';
import { assertRowsAre, readClusterInput } from './read-cluster-input.ts';
import { prepareJob } from './cluster-job.ts';
import type { ClusteringResult } from './clustering-result.ts';
import { deriveSeeds } from './restart-seeds.ts';
import { clusteringAccuracy } from './metrics/accuracy.ts';
import { adjustedRandIndex } from './metrics/ari.ts';
import { normalizedMutualInformation } from './metrics/nmi.ts';
import { confusionMatrix } from './metrics/contingency.ts';

export interface ClusterOptions {
  /** The pipeline's `cluster` section. */
  config: unknown;
  pipelineFile: string;
  datasetFile: string;
  /** Output folder of the similarity stage. */
  similarityDir: string;
  outDir: string;
  /** Run seed (default 0); the seeds of the repeated clusterings derive from it. */
  seed?: number;
}

export interface ClusterMethodResult {
  input: string;
  method: string;
  accuracy: Summary;
  ari: Summary;
  nmi: Summary;
  /** Rows: clusters 0..k-1 of the first seed; columns: the classes of metrics.json `classes`. */
  confusion: number[][];
}

export interface ClusterMetrics {
  k: number;
  seeds: number;
  restarts: number;
  /** The true classes of the primary examples, ascending: the columns of each confusion matrix. */
  classes: number[];
  results: ClusterMethodResult[];
}

/** Bytes per matrix entry a blocked clustering holds: the row block, the record batch it is cut from, and a column block (symmetry check). */
const BLOCK_BYTES_PER_ENTRY = 24;

/**
 * Rows of an n x n matrix input the stage may hold at once within
 * cluster.memoryMb, beside the work arrays of every run (seeds x restarts
 * K-means runs of about (4k + 8) n values each, or the eigensolver's
 * 14 (k + 8) vectors) and the data set's `fixedBytes`: n or more means the
 * matrix is read whole.
 */
export function clusterRowsWithin(config: ClusterConfig, n: number, fixedBytes: number, pipelineFile: string): number {
  const runs = config.seeds * config.restarts;
  const work = 8 * n * Math.max(runs * (4 * config.k + 8), 14 * (config.k + 8));
  return matrixRowsWithin(config.memoryMb, { columns: n, bytesPerEntry: BLOCK_BYTES_PER_ENTRY, fixedBytes: fixedBytes + work }, { file: pipelineFile, field: 'cluster.memoryMb' });
}

/**
 * The cluster stage: clusters the primary examples with each configured
 * (input, method) pair, `seeds` times, scores each clustering against the
 * true classes, and writes <input>-<method>.arrow (first seed) and metrics.json.
 */
export async function runCluster(options: ClusterOptions): Promise<void> {
  const config = parseClusterConfig(options.config, options.pipelineFile);
  const seed = options.seed ?? 0;
  const files = config.methods.map((job) => join(options.similarityDir, `${job.input}.arrow`));
  for (const [i, file] of files.entries()) {
    try {
      await access(file);
    } catch {
      throw new ElasticityError(`input "${config.methods[i].input}" not found (named in cluster.methods[${i}].input); is it in the similarity stage's use or baselines?`, {
        file, field: `cluster.methods[${i}].input`,
      });
    }
  }
  const inputFiles = [options.datasetFile, ...new Set(files)];
  await runStage(
    { stage: 'cluster', outDir: options.outDir, params: { ...config }, seed, inputFiles },
    async ({ dir, meta, log }) => {
      const { dataset } = await readDatasetFile(options.datasetFile);
      const primary = primaryIndices(dataset);
      const ids = Int32Array.from(primary, (r) => dataset.ids[r]);
      const classes = Int16Array.from(primary, (r) => dataset.classes[r]);
      const n = ids.length;
      if (n < config.k) {
        throw new ElasticityError(`k = ${config.k} but the data set has only ${n} primary examples`, { file: options.pipelineFile, field: 'cluster.k' });
      }
      const runSeeds = deriveSeeds(seed, config.seeds);
      log.info(`${n} primary examples, k = ${config.k}, ${config.methods.length} methods x ${config.seeds} seeds x ${config.restarts} restarts`);
      const progress = createProgress('cluster', config.methods.length * config.seeds);
      const results: ClusterMethodResult[] = [];
      try {
        for (const [i, job] of config.methods.entries()) {
          const file = files[i];
          const started = performance.now();
          const input = await readClusterInput(file, { blockRowsFor: (m) => clusterRowsWithin(config, m, dataset.x.byteLength, options.pipelineFile), scratchDir: dir });
          assertRowsAre(input, ids, file);
          if (input.type === 'matrix' && input.rows.blockRows < n) {
            log.info(`${job.input}: ${n} x ${n} read from ${file} in blocks of up to ${input.rows.blockRows} rows (cluster.memoryMb ${config.memoryMb})`);
          }
          const cluster = await prepareJob(input, job, { config, index: i, file, pipelineFile: options.pipelineFile, seed, log });
          const acc: number[] = [], ari: number[] = [], nmi: number[] = [];
          let first: ClusteringResult | undefined;
          for (const result of await cluster(runSeeds)) {
            first ??= result;
            acc.push(clusteringAccuracy(result.clusters, classes));
            ari.push(adjustedRandIndex(result.clusters, classes));
            nmi.push(normalizedMutualInformation(result.clusters, classes));
            progress.tick();
          }
          await writeClustersFile(join(dir, `${job.input}-${job.method}.arrow`), {
            method: job.method, input: job.input, ids, clusters: Int16Array.from(first!.clusters), classes,
          }, meta);
          const entry: ClusterMethodResult = {
            input: job.input, method: job.method,
            accuracy: summarize(acc), ari: summarize(ari), nmi: summarize(nmi),
            confusion: confusionMatrix(first!.clusters, classes, config.k).counts,
          };
          results.push(entry);
          log.info(
            `${job.input} ${job.method} (${input.type}): accuracy ${entry.accuracy.mean.toFixed(4)} ± ${entry.accuracy.sd.toFixed(4)}, ` +
            `ARI ${entry.ari.mean.toFixed(4)}, NMI ${entry.nmi.mean.toFixed(4)} in ${((performance.now() - started) / 1000).toFixed(2)} s`
            + (input.type === 'matrix' && input.rows.blockRows < n ? ` (${input.rows.passes()} passes over the file)` : ''),
          );
        }
      } finally {
        progress.stop();
      }
      const metrics: ClusterMetrics = {
        k: config.k, seeds: config.seeds, restarts: config.restarts,
        classes: Array.from(new Set(classes)).sort((a, b) => a - b),
        results,
      };
      await writeFileAtomic(join(dir, 'metrics.json'), `${JSON.stringify(metrics, null, 2)}\n`);
    },
  );
}
