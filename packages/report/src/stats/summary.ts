import type { Summary } from '../results.ts';

/**
 * Mean and sample standard deviation (divisor m - 1; 0 for one value), the
 * convention of the clustering package's metrics.json summaries.
 */
export function summarize(values: number[]): Summary {
  const m = values.length;
  if (m === 0) throw new RangeError('no values to summarise');
  const mean = values.reduce((s, v) => s + v, 0) / m;
  const sd = m < 2 ? 0 : Math.sqrt(values.reduce((s, v) => s + (v - mean) ** 2, 0) / (m - 1));
  return { mean, sd, values: [...values] };
}
