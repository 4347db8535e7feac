/** One bin of x with the mean and spread of the y values that fall into it. */
export interface Bin {
  lo: number;
  hi: number;
  center: number;
  count: number;
  /** NaN when the bin is empty. */
  mean: number;
  /** Sample standard deviation (n - 1); 0 for one value, NaN when empty. */
  sd: number;
}

/**
 * Splits the range of x into `bins` equal-width bins (the last one closed)
 * and summarises y in each.
 */
export function binnedMeans(x: ArrayLike<number>, y: ArrayLike<number>, bins: number): Bin[] {
  if (x.length !== y.length) throw new Error(`binnedMeans: ${x.length} vs ${y.length} values`);
  if (!Number.isInteger(bins) || bins < 1) throw new Error(`binnedMeans: ${bins} bins`);
  if (x.length === 0) return [];
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < x.length; i++) {
    lo = Math.min(lo, x[i]);
    hi = Math.max(hi, x[i]);
  }
  const width = (hi - lo) / bins;
  const sum = new Float64Array(bins);
  const count = new Float64Array(bins);
  const index = (v: number) => (width === 0 ? 0 : Math.min(bins - 1, Math.floor((v - lo) / width)));
  for (let i = 0; i < x.length; i++) {
    const b = index(x[i]);
    sum[b] += y[i];
    count[b]++;
  }
  const mean = Array.from(sum, (s, b) => (count[b] > 0 ? s / count[b] : NaN));
  const squares = new Float64Array(bins);
  for (let i = 0; i < x.length; i++) {
    const b = index(x[i]);
    squares[b] += (y[i] - mean[b]) ** 2;
  }
  return Array.from({ length: bins }, (_, b) => {
    const binLo = lo + b * width;
    const binHi = b === bins - 1 ? hi : lo + (b + 1) * width;
    const n = count[b];
    return {
      lo: binLo, hi: binHi, center: (binLo + binHi) / 2, count: n, mean: mean[b],
      sd: n === 0 ? NaN : n === 1 ? 0 : Math.sqrt(squares[b] / (n - 1)),
    };
  });
}
