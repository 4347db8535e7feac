import { ElasticityError } from '@elasticity/core';
import { isPlainObject } from './flatten-params.ts';

/** A metric's value: a number, or null where the run recorded none (JSON writes NaN as null). */
export type MetricValue = number | null;

/** Training metrics taken from results.json, in this order. */
export const TRAINING_METRICS = ['trainAccuracy', 'testAccuracy', 'finalLoss', 'seconds'] as const;

/**
 * Wall-clock metrics: they differ on every run, so `compare` lists them only
 * with --all and never counts them as a difference.
 */
export function isTimingMetric(path: string): boolean {
  return path === 'training.seconds' || path.endsWith('/training.seconds');
}

/** `relative similarity` → `relative-similarity`. */
function slug(text: string): string {
  return text.trim().replace(/\s+/g, '-');
}

function metricValue(value: unknown, file: string, field: string): MetricValue {
  if (value === null || (typeof value === 'number' && Number.isFinite(value))) return value;
  throw new ElasticityError(`must be a number (or null), got ${JSON.stringify(value) ?? typeof value}`, { file, field });
}

function objectAt(value: unknown, file: string, field: string): Record<string, unknown> {
  if (!isPlainObject(value)) throw new ElasticityError('must be an object', { file, field });
  return value;
}

function stringAt(value: unknown, file: string, field: string): string {
  if (typeof value !== 'string' || value === '') throw new ElasticityError('must be a non-empty string', { file, field });
  return value;
}

/**
 * The metrics of one pipeline's results.json (PipelineResults of the report
 * stage), checked as they are read:
 * - per clustering result `accuracy/INPUT/METHOD` (mean), `accuracy/INPUT/METHOD/sd`,
 *   `ari/INPUT/METHOD` and `nmi/INPUT/METHOD` (means);
 * - `training.trainAccuracy`, `training.testAccuracy`, `training.finalLoss`, `training.seconds`;
 * - `geodesic/SOURCE/MEASURE/pearson` and `.../spearman` where present.
 * `field` locates the object in its file for error messages (e.g. `combos[2].results`);
 * `prefix` is prepended to every metric name (a matrix combo's id and '/').
 */
export function flattenMetrics(results: Record<string, unknown>, file: string, field = '', prefix = ''): Map<string, MetricValue> {
  const at = (name: string) => (field === '' ? name : `${field}.${name}`);
  const out = new Map<string, MetricValue>();
  const put = (name: string, value: MetricValue) => {
    let key = `${prefix}${name}`;
    // The same input and method twice (e.g. with other options): number the repeats.
    for (let n = 2; out.has(key); n++) key = `${prefix}${name}#${n}`;
    out.set(key, value);
  };

  if (!Array.isArray(results.results)) throw new ElasticityError('must be a list of clustering results', { file, field: at('results') });
  results.results.forEach((entry, i) => {
    const where = at(`results[${i}]`);
    const r = objectAt(entry, file, where);
    const id = `${stringAt(r.input, file, `${where}.input`)}/${stringAt(r.method, file, `${where}.method`)}`;
    const summary = (key: string) => objectAt(r[key], file, `${where}.${key}`);
    const accuracy = summary('accuracy');
    put(`accuracy/${id}`, metricValue(accuracy.mean, file, `${where}.accuracy.mean`));
    if (accuracy.sd !== undefined) put(`accuracy/${id}/sd`, metricValue(accuracy.sd, file, `${where}.accuracy.sd`));
    for (const key of ['ari', 'nmi']) put(`${key}/${id}`, metricValue(summary(key).mean, file, `${where}.${key}.mean`));
  });

  if (results.training !== undefined) {
    const training = objectAt(results.training, file, at('training'));
    for (const key of TRAINING_METRICS) {
      if (training[key] !== undefined) put(`training.${key}`, metricValue(training[key], file, at(`training.${key}`)));
    }
  }

  if (results.geodesic !== undefined) {
    if (!Array.isArray(results.geodesic)) throw new ElasticityError('must be a list', { file, field: at('geodesic') });
    results.geodesic.forEach((entry, i) => {
      const where = at(`geodesic[${i}]`);
      const g = objectAt(entry, file, where);
      const id = `geodesic/${slug(stringAt(g.source, file, `${where}.source`))}/${slug(stringAt(g.measure, file, `${where}.measure`))}`;
      for (const key of ['pearson', 'spearman']) {
        if (g[key] !== undefined) put(`${id}/${key}`, metricValue(g[key], file, `${where}.${key}`));
      }
    });
  }
  return out;
}
