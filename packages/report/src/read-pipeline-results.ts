import { ElasticityError, readJsonFile } from '@elasticity/core';
import type { PipelineResults } from './pipeline-results.ts';

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);
const isSummary = (v: unknown) => isObject(v) && Number.isFinite(v.mean) && Number.isFinite(v.sd) && Array.isArray(v.values);

/**
 * Reads one pipeline's report/results.json (written by runReport), checking
 * what the cross-pipeline and matrix reports use: one ElasticityError naming
 * the file (and the field) when it is missing, not JSON, or not a results file.
 */
export async function readPipelineResults(file: string): Promise<PipelineResults> {
  const r = await readJsonFile(file);
  if (!isObject(r) || typeof r.pipeline !== 'string' || !isObject(r.dataset) || !Array.isArray(r.results)) {
    throw new ElasticityError('not a pipeline results.json (needs pipeline, dataset, results)', { file, field: 'pipeline' });
  }
  if (typeof r.dataset.name !== 'string') throw new ElasticityError('must be a string', { file, field: 'dataset.name' });
  r.results.forEach((c: unknown, i) => {
    if (!isObject(c) || typeof c.input !== 'string' || typeof c.method !== 'string') {
      throw new ElasticityError('needs string "input" and "method"', { file, field: `results[${i}]` });
    }
    if (!isSummary(c.accuracy)) throw new ElasticityError('is not {mean, sd, values}', { file, field: `results[${i}].accuracy` });
  });
  return r as unknown as PipelineResults;
}
