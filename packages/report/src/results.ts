import { readFile } from 'node:fs/promises';
import { ElasticityError } from '@elasticity/core';

export interface Summary {
  mean: number;
  sd: number;
  values: number[];
}

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
  let parsed: unknown;
  try {
    parsed = JSON.parse(await readFile(file, 'utf8'));
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException).code;
    throw new ElasticityError(code === 'ENOENT' ? 'file not found' : `not readable JSON (${(cause as Error).message})`, { file, cause });
  }
  const m = parsed as ClusterMetrics;
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
