import { ElasticityError, readJsonFile } from '@elasticity/core';
import type { Summary } from '@elasticity/core';

export type { Summary };

/** One clustering result as the cluster stage writes it to metrics.json. */
export interface ClusterResult {
  input: string;
  method: string;
  accuracy: Summary;
  ari: Summary;
  nmi: Summary;
}

export interface ClusterMetrics {
  k: number;
  seeds: number;
  results: ClusterResult[];
}

function isSummary(v: unknown): v is Summary {
  const s = v as Summary;
  return s !== null && typeof s === 'object' && Number.isFinite(s.mean) && Number.isFinite(s.sd) && Array.isArray(s.values);
}

/** Reads and checks the cluster stage's metrics.json. */
export async function readClusterMetrics(file: string): Promise<ClusterMetrics> {
  const m = (await readJsonFile(file)) as ClusterMetrics;
  if (!m || !Array.isArray(m.results)) throw new ElasticityError('no "results" list', { file, field: 'results' });
  m.results.forEach((r, i) => {
    for (const key of ['accuracy', 'ari', 'nmi'] as const) {
      if (!isSummary(r[key])) throw new ElasticityError(`is not {mean, sd, values}`, { file, field: `results[${i}].${key}` });
    }
    if (typeof r.input !== 'string' || typeof r.method !== 'string') {
      throw new ElasticityError('needs string "input" and "method"', { file, field: `results[${i}]` });
    }
  });
  return m;
}
