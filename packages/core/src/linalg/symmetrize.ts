/**
 * (S + S^T) / 2 of a square row-major n x n array, written over it (no
 * second n x n array): each off-diagonal pair becomes its mean, the
 * diagonal stays. Returns `values`.
 */
export function symmetrizeInPlace(values: Float64Array, n: number): Float64Array {
  if (values.length !== n * n) throw new RangeError(`${values.length} values for ${n} x ${n}`);
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const v = (values[i * n + j] + values[j * n + i]) / 2;
      values[i * n + j] = v;
      values[j * n + i] = v;
    }
  }
  return values;
}
