import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeDatasetFile, writeMatrixFile } from '@elasticity/core';
import type { Dataset, Role } from '@elasticity/core';

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

/** A cluster stage folder with only metrics.json: one result per (input, method, accuracy values). */
export async function writeClusterMetrics(dir: string, results: [string, string, number[]][]): Promise<string> {
  await mkdir(dir, { recursive: true });
  const summary = (values: number[]) => {
    const mean = values.reduce((a, b) => a + b, 0) / values.length;
    const sd = values.length > 1 ? Math.sqrt(values.reduce((a, v) => a + (v - mean) ** 2, 0) / (values.length - 1)) : 0;
    return { mean, sd, values };
  };
  const body = {
    k: 2, seeds: results[0][2].length,
    results: results.map(([input, method, acc]) => ({ input, method, accuracy: summary(acc), ari: summary(acc.map((a) => 2 * a - 1)), nmi: summary(acc.map((a) => a / 2)) })),
  };
  await writeFile(join(dir, 'metrics.json'), JSON.stringify(body));
  return dir;
}
