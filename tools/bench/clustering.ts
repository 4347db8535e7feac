/**
 * Benchmark of the clustering methods: seconds and peak resident memory of
 * one clustering (one seed, the cluster stage's default 10 restarts) at
 * N = 1000 and N = 10,000 examples, each method in its own child process so
 * that peak RSS (getrusage maxrss) is that method's alone.
 *
 *   node --import tsx tools/bench/clustering.ts            # all, writes tools/bench/results/clustering.json
 *   node --import tsx tools/bench/clustering.ts --sizes 1000
 *
 * The input is an RBF (Gaussian) kernel matrix of N random points drawn from
 * two Gaussian blobs in 10-d: symmetric, positive semi-definite, positive
 * entries, so each method can take it (K-means on its rows, spectral
 * clustering with it as the affinity, kernel K-means with it as the kernel).
 */
import { execFileSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createLogger, createRng, writeFileAtomic } from '@elasticity/core';
import { checkKernel, clusteringAccuracy, kernelKmeans, kmeansRows, spectralClustering } from '@elasticity/clustering';

const METHODS = ['kmeans', 'spectral', 'kernel-kmeans'] as const;
type Method = (typeof METHODS)[number];
const here = dirname(fileURLToPath(import.meta.url));
const log = createLogger('bench');

export interface ClusteringBenchRecord {
  method: Method;
  n: number;
  seconds: number;
  peak_rss_mb: number;
  /** RSS right after building the input matrix (8 n^2 bytes + runtime): the method's own overhead is peak_rss_mb minus this. */
  input_rss_mb: number;
  restarts: number;
  /** Accuracy against the two blobs, a sanity check that the method really ran. */
  accuracy: number;
}

/** RBF kernel exp(-||x_i - x_j||^2 / (2 * 10)) of n points from two blobs in 10-d (labels returned). */
function benchMatrix(n: number): { s: Float64Array; labels: number[] } {
  const dim = 10;
  const rng = createRng(2020);
  const x = new Float64Array(n * dim);
  const labels: number[] = [];
  for (let i = 0; i < n; i++) {
    const label = i % 2;
    labels.push(label);
    for (let j = 0; j < dim; j++) x[i * dim + j] = (label === 0 ? 0 : 1.5) + rng.normal();
  }
  const s = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    s[i * n + i] = 1;
    for (let j = i + 1; j < n; j++) {
      let d2 = 0;
      for (let p = 0; p < dim; p++) d2 += (x[i * dim + p] - x[j * dim + p]) ** 2;
      const v = Math.exp(-d2 / 20);
      s[i * n + j] = v;
      s[j * n + i] = v;
    }
  }
  return { s, labels };
}

async function runChild(method: Method, n: number): Promise<void> {
  const { s, labels } = benchMatrix(n);
  const inputRss = process.memoryUsage().rss / 2 ** 20;
  const restarts = 10;
  const started = performance.now();
  let clusters: Int32Array;
  if (method === 'kmeans') {
    clusters = (await kmeansRows(s, n, n, 2, { seed: 1, restarts })).clusters;
  } else if (method === 'spectral') {
    clusters = (await spectralClustering(s, n, 2, { seed: 1, restarts })).clusters;
  } else {
    await checkKernel(s, n, 1e-6);
    clusters = (await kernelKmeans(s, n, 2, { seed: 1, restarts, assumeChecked: true })).clusters;
  }
  const seconds = (performance.now() - started) / 1000;
  const record: ClusteringBenchRecord = {
    method, n, seconds: Number(seconds.toFixed(3)),
    // maxRSS is in kilobytes.
    peak_rss_mb: Math.round(process.resourceUsage().maxRSS / 1024),
    input_rss_mb: Math.round(inputRss), restarts,
    accuracy: clusteringAccuracy(clusters, labels),
  };
  process.stdout.write(`${JSON.stringify(record)}\n`);
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  if (args[0] === '--child') {
    await runChild(args[1] as Method, Number(args[2]));
    return;
  }
  const sizesAt = args.indexOf('--sizes');
  const sizes = sizesAt >= 0 ? args[sizesAt + 1].split(',').map(Number) : [1000, 10000];
  const records: ClusteringBenchRecord[] = [];
  for (const n of sizes) {
    for (const method of METHODS) {
      const out = execFileSync(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), '--child', method, String(n)], {
        encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 1 << 20,
      });
      const record = JSON.parse(out.trim().split('\n').pop()!) as ClusteringBenchRecord;
      log.info(`${method} n=${n}: ${record.seconds} s, peak RSS ${record.peak_rss_mb} MB (input ${record.input_rss_mb} MB), accuracy ${record.accuracy}`);
      records.push(record);
    }
  }
  const file = join(here, 'results', 'clustering.json');
  await writeFileAtomic(file, `${JSON.stringify(records, null, 2)}\n`);
  log.info(`wrote ${file}`);
}

await main();
