/**
 * How far a matrix is from a reference, row by row: for each of `rows` rows
 * of n entries, max_j |got - want| divided by max_j |want| of that row; the
 * worst row. The measure the probe and NTK tests and benchmarks report.
 */
export function rowRelativeError(got: ArrayLike<number>, want: ArrayLike<number>, rows: number, n: number): number {
  let worst = 0;
  for (let r = 0; r < rows; r++) {
    let err = 0, scale = 0;
    for (let j = 0; j < n; j++) {
      err = Math.max(err, Math.abs(got[r * n + j] - want[r * n + j]));
      scale = Math.max(scale, Math.abs(want[r * n + j]));
    }
    worst = Math.max(worst, err / scale);
  }
  return worst;
}
