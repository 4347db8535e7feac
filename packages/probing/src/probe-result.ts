/**
 * The raw outcome of probing: row r is one SGD step at example rows[r]
 * (an index into the measured examples), column j the change it causes at
 * measured example j: delta[r * n + j] = f(x_j; w+) - f(x_j; w).
 */
export interface ProbeResult {
  rows: number[];
  n: number;
  delta: Float64Array;
  /** Step size used for each row. */
  eta: Float64Array;
  /** l' = dL/d(output) at each probed example. */
  lossSlope: Float64Array;
}

/** S_rel(x_i, x_j) = |delta_i(x_j)| / |delta_i(x_i)|. */
export function relativeSimilarity(p: ProbeResult): Float64Array {
  const out = new Float64Array(p.rows.length * p.n);
  p.rows.forEach((i, r) => {
    const self = Math.abs(p.delta[r * p.n + i]);
    for (let j = 0; j < p.n; j++) out[r * p.n + j] = Math.abs(p.delta[r * p.n + j]) / self;
  });
  return out;
}

/** S_ker(x_i, x_j) = -delta_i(x_j) / (eta l'_i). */
export function kernelizedSimilarity(p: ProbeResult): Float64Array {
  const out = new Float64Array(p.rows.length * p.n);
  p.rows.forEach((_, r) => {
    const scale = -1 / (p.eta[r] * p.lossSlope[r]);
    for (let j = 0; j < p.n; j++) out[r * p.n + j] = p.delta[r * p.n + j] * scale;
  });
  return out;
}

/** The examples a probe runs on: row-major n x d inputs, their targets, and which of them to probe. */
export interface ProbeExamples {
  x: Float32Array | Float64Array;
  n: number;
  targets: ArrayLike<number>;
  /** Indices (into x) of the probed examples; every example is measured. */
  rows: number[];
}
