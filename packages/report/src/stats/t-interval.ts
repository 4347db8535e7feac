/**
 * Student's t quantile t(0.975; df) for df = 1..30 (to 6 decimals), the
 * two-sided 95% point. Above 30 degrees of freedom the Cornish-Fisher
 * expansion around the normal quantile is used (error below 1e-5 there).
 */
const T975 = [
  12.706205, 4.302653, 3.182446, 2.776445, 2.570582, 2.446912, 2.364624, 2.306004, 2.262157, 2.228139,
  2.200985, 2.178813, 2.160369, 2.144787, 2.13145, 2.119905, 2.109816, 2.100922, 2.093024, 2.085963,
  2.079614, 2.073873, 2.068658, 2.063899, 2.059539, 2.055529, 2.051831, 2.048407, 2.04523, 2.042272,
];
const Z975 = 1.959964;

/** t(0.975; df): the multiplier of sd / sqrt(n) of a two-sided 95% t-interval with df = n - 1. */
export function tQuantile975(df: number): number {
  if (!Number.isInteger(df) || df < 1) throw new RangeError(`tQuantile975: ${df} degrees of freedom`);
  if (df <= T975.length) return T975[df - 1];
  const z = Z975;
  return z + (z ** 3 + z) / (4 * df) + (5 * z ** 5 + 16 * z ** 3 + 3 * z) / (96 * df ** 2)
    + (3 * z ** 7 + 19 * z ** 5 + 17 * z ** 3 - 15 * z) / (384 * df ** 3);
}

/**
 * The two-sided 95% t-interval of the mean of `values` (independent runs,
 * e.g. one per training seed): mean ± t(0.975; n - 1) · sd / sqrt(n), sd the
 * sample standard deviation. Undefined for fewer than two values.
 */
export function tInterval95(values: readonly number[]): { low: number; high: number } | undefined {
  const n = values.length;
  if (n < 2) return undefined;
  const mean = values.reduce((s, v) => s + v, 0) / n;
  const sd = Math.sqrt(values.reduce((s, v) => s + (v - mean) ** 2, 0) / (n - 1));
  const half = tQuantile975(n - 1) * sd / Math.sqrt(n);
  return { low: mean - half, high: mean + half };
}
