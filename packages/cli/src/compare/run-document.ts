import { ElasticityError } from '@elasticity/core';
import { flattenMetrics } from './flatten-metrics.ts';
import type { MetricValue } from './flatten-metrics.ts';
import { flattenParams, isPlainObject } from './flatten-params.ts';

/**
 * What a results.json holds, flattened for comparison:
 * - `pipeline`: one pipeline's results (report stage, PipelineResults);
 * - `matrix`: a matrix report ({ pipeline, axes, filter, table, combos: [{ id, labels, results }] }),
 *   every metric and param prefixed with its combo's id and '/', plus its axes and filter
 *   as params `matrix-report.axes` and `matrix-report.filter`;
 * - `all`: the cross-pipeline report of `report --all` ({ title, pipelines: PipelineResults[] }),
 *   prefixed with each pipeline's name and '/'.
 */
export interface RunDocument {
  kind: 'pipeline' | 'matrix' | 'all';
  /** The pipeline the run came from (pipeline and matrix reports). */
  pipeline: string | undefined;
  /** Params from the document's `params` sections; undefined when it carries none. */
  params: Map<string, unknown> | undefined;
  /** Params that describe the document itself whatever its sections (a matrix's axes and filter). */
  ownParams: Map<string, unknown>;
  metrics: Map<string, MetricValue>;
}

const FORMS = 'expected a results.json of the report stage ("pipeline", "results"), of a matrix report ("combos") or of report --all ("pipelines")';

/** Flattened params of an optional `params` object at `field`. */
function paramsAt(value: unknown, file: string, field: string, prefix = ''): Map<string, unknown> | undefined {
  if (value === undefined) return undefined;
  if (!isPlainObject(value)) throw new ElasticityError('must be an object of pipeline sections', { file, field });
  return flattenParams(value, prefix);
}

/** Merges per-part maps (each already prefixed); undefined when no part had params. */
function mergeParams(parts: (Map<string, unknown> | undefined)[]): Map<string, unknown> | undefined {
  if (parts.every((p) => p === undefined)) return undefined;
  return new Map(parts.flatMap((p) => (p ? [...p] : [])));
}

function namedList(doc: Record<string, unknown>, key: string, file: string): Record<string, unknown>[] {
  const list = doc[key];
  if (!Array.isArray(list)) throw new ElasticityError('must be a list', { file, field: key });
  return list.map((entry, i) => {
    if (!isPlainObject(entry)) throw new ElasticityError('must be an object', { file, field: `${key}[${i}]` });
    return entry;
  });
}

/** Reads a parsed results.json (any of the three forms) into flat params and metrics. */
export function readRunDocument(value: unknown, file: string): RunDocument {
  if (!isPlainObject(value)) throw new ElasticityError(`not a JSON object: ${FORMS}`, { file });
  const pipeline = typeof value.pipeline === 'string' ? value.pipeline : undefined;

  if (value.combos !== undefined) {
    const combos = namedList(value, 'combos', file);
    const metrics = new Map<string, MetricValue>();
    const params: (Map<string, unknown> | undefined)[] = [];
    const seen = new Set<string>();
    combos.forEach((combo, i) => {
      if (typeof combo.id !== 'string' || combo.id === '') throw new ElasticityError('must be a non-empty string', { file, field: `combos[${i}].id` });
      if (seen.has(combo.id)) throw new ElasticityError(`repeats combo id "${combo.id}"`, { file, field: `combos[${i}].id` });
      seen.add(combo.id);
      const field = `combos[${i}].results`;
      if (!isPlainObject(combo.results)) throw new ElasticityError('must be a pipeline results object', { file, field });
      for (const [k, v] of flattenMetrics(combo.results, file, field, `${combo.id}/`)) metrics.set(k, v);
      params.push(paramsAt(combo.results.params, file, `${field}.params`, `${combo.id}/`));
    });
    const ownParams = new Map<string, unknown>();
    for (const key of ['axes', 'filter']) if (value[key] !== undefined) ownParams.set(`matrix-report.${key}`, value[key]);
    return { kind: 'matrix', pipeline, params: mergeParams(params), ownParams, metrics };
  }

  if (value.pipelines !== undefined && value.results === undefined) {
    const parts = namedList(value, 'pipelines', file);
    const metrics = new Map<string, MetricValue>();
    const params: (Map<string, unknown> | undefined)[] = [];
    parts.forEach((part, i) => {
      const field = `pipelines[${i}]`;
      if (typeof part.pipeline !== 'string' || part.pipeline === '') throw new ElasticityError('must be a non-empty string', { file, field: `${field}.pipeline` });
      for (const [k, v] of flattenMetrics(part, file, field, `${part.pipeline}/`)) metrics.set(k, v);
      params.push(paramsAt(part.params, file, `${field}.params`, `${part.pipeline}/`));
    });
    return { kind: 'all', pipeline: undefined, params: mergeParams(params), ownParams: new Map(), metrics };
  }

  if (pipeline === undefined) throw new ElasticityError(`missing or not a string: ${FORMS}`, { file, field: 'pipeline' });
  return {
    kind: 'pipeline', pipeline, params: paramsAt(value.params, file, 'params'), ownParams: new Map(), metrics: flattenMetrics(value, file),
  };
}
