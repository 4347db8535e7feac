/** Mean and spread of a measurement repeated over seeds (or runs). */
export interface Summary {
  mean: number;
  /** Sample standard deviation (divisor m - 1); 0 for one value. */
  sd: number;
  values: number[];
}

/** Mean and sample standard deviation (divisor m - 1; 0 for one value) of `values`. */
export function summarize(values: number[]): Summary {
  const m = values.length;
  if (m === 0) throw new RangeError('no values');
  const mean = values.reduce((s, v) => s + v, 0) / m;
  const sd = m < 2 ? 0 : Math.sqrt(values.reduce((s, v) => s + (v - mean) ** 2, 0) / (m - 1));
  return { mean, sd, values: [...values] };
}
