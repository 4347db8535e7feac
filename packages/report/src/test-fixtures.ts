import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { runStage, writeDatasetFile, writeMatrixFile } from '@elasticity/core';
import type { Dataset, Role } from '@elasticity/core';
import type { PipelineResults } from './pipeline-results.ts';
import type { MatrixReportOptions } from './matrix-report.ts';

const META = (stage: string) => ({ stage, params: {}, seed: 0, inputs: {} });

/**
 * Files of a small synthetic run without training: `n` class-1 points on a
 * circle at angles `t` (rows 2i, primary) and as many class-0 points (rows
 * 2i + 1), the geodesic matrix, and a relative similarity exp(-geodesic)
 * plus a kernelized similarity cos(ti - tj).
 */
export async function writeCircleRun(dir: string, t: number[]): Promise<{ datasetFile: string; geodesicFile: string; similarityDir: string }> {
  const n = t.length;
  const rows = 2 * n;
  const roles: Role[] = Array.from({ length: rows }, (_, r) => (r % 2 === 0 ? 'primary' : 'auxiliary'));
  const coord = Float64Array.from({ length: rows }, (_, r) => t[r >> 1]);
  const ds: Dataset = {
    name: 'circle', inputShape: [2], scaling: 'none', ids: Int32Array.from({ length: rows }, (_, r) => r),
    x: Float32Array.from({ length: 2 * rows }, (_, k) => (k % 2 === 0 ? Math.cos(coord[k >> 1]) : Math.sin(coord[k >> 1])) * ((k >> 1) % 2 === 0 ? 1 : 2)),
    d: 2, target: Float32Array.from(roles, (r) => (r === 'primary' ? 1 : 0)), classes: Int16Array.from(roles, (r) => (r === 'primary' ? 1 : 0)),
    roles, coord, coordDim: 1,
  };
  const ids = Int32Array.from({ length: n }, (_, i) => 2 * i);
  const geo = new Float64Array(n * n);
  const cos = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      const d = Math.abs(t[i] - t[j]) % (2 * Math.PI);
      geo[i * n + j] = Math.min(d, 2 * Math.PI - d);
      cos[i * n + j] = Math.cos(t[i] - t[j]);
    }
  }
  const ingest = join(dir, 'ingest');
  const similarityDir = join(dir, 'similarity');
  await mkdir(ingest, { recursive: true });
  await mkdir(similarityDir, { recursive: true });
  const datasetFile = join(ingest, 'dataset.arrow');
  const geodesicFile = join(ingest, 'geodesic.arrow');
  await writeDatasetFile(datasetFile, ds, { ...META('ingest'), params: { source: 'synthetic', synthetic: { shape: 'torus', points: n } } });
  await writeMatrixFile(geodesicFile, { kind: 'geodesic', rowIds: ids, columnIds: ids, values: geo }, META('ingest'));
  await writeMatrixFile(join(similarityDir, 'relative.arrow'), { kind: 'relative', rowIds: ids, columnIds: ids, values: geo.map((g) => Math.exp(-g)) }, META('similarity'));
  await writeMatrixFile(join(similarityDir, 'kernelized.arrow'), { kind: 'kernelized', rowIds: ids, columnIds: ids, values: cos }, META('similarity'));
  return { datasetFile, geodesicFile, similarityDir };
}

/** Mean and sample sd, written out here so that fixtures do not depend on the code under test. */
function summary(values: number[]) {
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  const sd = values.length > 1 ? Math.sqrt(values.reduce((a, v) => a + (v - mean) ** 2, 0) / (values.length - 1)) : 0;
  return { mean, sd, values };
}

/** A cluster stage folder with only metrics.json: one result per (input, method, accuracy values). */
export async function writeClusterMetrics(dir: string, results: [string, string, number[]][]): Promise<string> {
  await mkdir(dir, { recursive: true });
  const body = {
    k: 2, seeds: results[0][2].length,
    results: results.map(([input, method, acc]) => ({ input, method, accuracy: summary(acc), ari: summary(acc.map((a) => 2 * a - 1)), nmi: summary(acc.map((a) => a / 2)) })),
  };
  await writeFile(join(dir, 'metrics.json'), JSON.stringify(body));
  return dir;
}

/**
 * A small PipelineResults as runReport writes it: one clustering result per
 * (input, method, accuracy over the clustering seeds), and a trained model
 * unless `model` is null.
 */
export function fakePipelineResults(options: {
  pipeline: string; dataset: string; model?: string | null; results: [string, string, number[]][];
  training?: { trainAccuracy: number; testAccuracy: number; backend: string };
}): PipelineResults {
  const { pipeline, dataset, model = 'MLPNet', results } = options;
  const t = options.training ?? { trainAccuracy: 1, testAccuracy: -1, backend: 'cpu' };
  return {
    pipeline, title: `${pipeline}: ${dataset}`, dataset: { name: dataset, examples: 40, primary: 20 },
    ...(model === null ? {} : { training: { model, width: 8, loss: 'mse', epochs: 2, finalLoss: 0.1, ...t } }),
    results: results.map(([input, method, acc]) => ({ input, method, accuracy: summary(acc), ari: summary(acc.map((a) => 2 * a - 1)), nmi: summary(acc.map((a) => a / 2)) })),
    clustering: { k: 2, seeds: results[0]?.[2].length ?? 0 },
  };
}

/** Writes results.json of a fake report folder; returns the folder. */
export async function writePipelineResults(dir: string, results: PipelineResults): Promise<string> {
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'results.json'), JSON.stringify(results, null, 2));
  return dir;
}

/**
 * A train stage that took `trainingSeconds` (its timings file, written by
 * runStage beside `trainDir`), and the provenance entry of its metrics.arrow
 * that a report's results.json would carry.
 */
async function fakeTrainRun(trainDir: string, trainingSeconds: number): Promise<NonNullable<PipelineResults['metadata']>['files'][number]> {
  await runStage({ stage: 'train', outDir: trainDir, params: {}, seed: 0, inputFiles: [] }, async ({ timings }) => {
    timings.trainingSeconds = trainingSeconds;
  });
  return { file: join(trainDir, 'metrics.arrow'), stage: 'train', seed: 0, params: {}, inputs: {}, extra: {} };
}

/**
 * A quick-scale matrix of 2 pairs x 2 models x 2 seeds written as report
 * folders: relative accuracy (two clustering seeds around it) is
 * base[pair] + 0.1 * (model is mse) + 0.02 * seed. The seed-0 runs trained
 * in 12.25 s (timings files); the seed-1 runs have no timings (as when
 * restored from the Nx cache).
 */
export async function writeMatrixRun(dir: string, pipeline = 'table1'): Promise<MatrixReportOptions['combos']> {
  const combos: MatrixReportOptions['combos'] = [];
  const base = { '5v8': 0.8, '3v5': 0.6 };
  for (const pair of ['5v8', '3v5'] as const) {
    for (const model of ['relu-mse', 'relu-bce']) {
      for (const seed of [0, 1]) {
        const id = `quick.${pair}.${model}.${seed}`;
        const rel = base[pair] + (model === 'relu-mse' ? 0.1 : 0) + 0.02 * seed;
        const results = fakePipelineResults({
          pipeline: `${pipeline}.${id}`, dataset: `mnist ${pair}`, model: model === 'relu-mse' ? 'MLPNet' : 'MLPProb',
          training: { trainAccuracy: 0.99, testAccuracy: model === 'relu-mse' ? 0.975 : -1, backend: 'wasm' },
          results: [['raw', 'kmeans', [0.55, 0.57]], ['relative', 'kmeans', [rel - 0.01, rel + 0.01]]],
        });
        const trainFile = seed === 0 ? await fakeTrainRun(join(dir, id, 'train'), 12.25) : { file: join(dir, id, 'train', 'metrics.arrow'), stage: 'train', seed: 0, params: {}, inputs: {}, extra: {} };
        results.metadata = { files: [trainFile], reportInputs: {} };
        combos.push({ id, labels: { scale: 'quick', pair, model, seed: String(seed) }, reportDir: await writePipelineResults(join(dir, id, 'report'), results) });
      }
    }
  }
  return combos;
}
