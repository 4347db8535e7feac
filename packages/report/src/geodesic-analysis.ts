import { ElasticityError } from '@elasticity/core';
import type { ExampleMatrix } from '@elasticity/core';
import { pearson, spearman } from './stats/correlation.ts';
import { binnedMeans } from './stats/binned.ts';
import type { Bin } from './stats/binned.ts';
import { kernelDistances } from './kernel-distance.ts';

/** What is set against geodesic distance. */
export type GeodesicMeasure = 'relative similarity' | 'kernel distance';

/** One measure against geodesic distance over every pair of primary points. */
export interface GeodesicAnalysis {
  measure: GeodesicMeasure;
  /** The similarity matrix it came from (relative, kernelized, ntk). */
  source: string;
  pairs: number;
  pearson: number;
  spearman: number;
  bins: Bin[];
  /** Pairs for the scatter plot: all of them, or an even subsample of at most maxScatter. */
  scatter: { geodesic: number; value: number }[];
}

export interface GeodesicOptions {
  bins?: number;
  /** Eigen-components of the kernel distance (method.md section 6: 10). */
  components?: number;
  maxScatter?: number;
}

export const GEODESIC_DEFAULTS = { bins: 12, components: 10, maxScatter: 2000 } as const;

/** Throws unless `m` is square over exactly the ids of the geodesic matrix, in the same order. */
function checkSameIds(m: ExampleMatrix, geodesic: ExampleMatrix, file: string): void {
  const same = (a: Int32Array, b: Int32Array) => a.length === b.length && a.every((v, i) => v === b[i]);
  if (!same(m.rowIds, geodesic.rowIds) || !same(m.columnIds, geodesic.rowIds)) {
    throw new ElasticityError(`matrix "${m.kind}" is not over the ${geodesic.rowIds.length} primary points of geodesic.arrow in the same order`, { file, field: 'id' });
  }
}

/** Upper-triangle pairs (i < j) of two n x n matrices. */
function pairValues(values: Float64Array, n: number): Float64Array {
  const out = new Float64Array((n * (n - 1)) / 2);
  let k = 0;
  for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) out[k++] = values[i * n + j];
  return out;
}

export function measureAgainstGeodesic(
  measure: GeodesicMeasure, source: string, values: Float64Array, geodesic: ExampleMatrix, options: GeodesicOptions = {},
): GeodesicAnalysis {
  const { bins, maxScatter } = { ...GEODESIC_DEFAULTS, ...options };
  const n = geodesic.rowIds.length;
  const g = pairValues(geodesic.values, n);
  const v = pairValues(values, n);
  const stride = Math.max(1, Math.ceil(g.length / maxScatter));
  const scatter: GeodesicAnalysis['scatter'] = [];
  for (let k = 0; k < g.length; k += stride) scatter.push({ geodesic: g[k], value: v[k] });
  return { measure, source, pairs: g.length, pearson: pearson(g, v), spearman: spearman(g, v), bins: binnedMeans(g, v, bins), scatter };
}

/**
 * The synthetic-data analysis (method.md section 6): relative similarity
 * against geodesic distance for every pair of primary points, and the kernel
 * distance from the top eigen-embedding of the kernelized similarity (or of
 * the NTK when the pipeline has no kernelized probe).
 */
export function analyzeGeodesics(
  matrices: { matrix: ExampleMatrix; file: string }[], geodesic: ExampleMatrix, options: GeodesicOptions = {},
): GeodesicAnalysis[] {
  const components = options.components ?? GEODESIC_DEFAULTS.components;
  const n = geodesic.rowIds.length;
  const out: GeodesicAnalysis[] = [];
  const byKind = new Map(matrices.map((m) => [m.matrix.kind, m]));
  for (const m of matrices) checkSameIds(m.matrix, geodesic, m.file);
  const relative = byKind.get('relative');
  if (relative) out.push(measureAgainstGeodesic('relative similarity', 'relative', relative.matrix.values, geodesic, options));
  const kernel = byKind.get('kernelized') ?? byKind.get('ntk');
  if (kernel) {
    out.push(measureAgainstGeodesic('kernel distance', kernel.matrix.kind, kernelDistances(kernel.matrix.values, n, components), geodesic, options));
  }
  return out;
}
