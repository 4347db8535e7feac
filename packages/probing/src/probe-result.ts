/**
 * The raw outcome of probing: row r is one SGD step at example rows[r]
 * (an index into the examples x), column c the change it causes at example
 * columns[c]: delta[r * n + c] = f(x_columns[c]; w+) - f(x_columns[c]; w),
 * n = columns.length.
 */
export interface ProbeResult {
  rows: number[];
  columns: number[];
  n: number;
  delta: Float64Array;
  /** The change at the probed example itself, delta_i(x_i) (needed by the relative similarity). */
  self: Float64Array;
  /** Step size used for each row. */
  eta: Float64Array;
  /** l' = dL/d(output) at each probed example (at the weights the step starts from). */
  lossSlope: Float64Array;
  /**
   * Positions r (into rows) whose change at the probed example no step of the
   * authors' search shows in float32 (an output within float32's resolution
   * of where the step pushes it): they took its first step (chooseEta).
   * Empty for fixed steps and for the generic probe (which stops at such a row).
   */
  invisibleRows: number[];
}

/** S_rel(x_i, x_j) = |delta_i(x_j)| / |delta_i(x_i)|. */
export function relativeSimilarity(p: ProbeResult): Float64Array {
  const out = new Float64Array(p.rows.length * p.n);
  p.rows.forEach((_, r) => {
    const self = Math.abs(p.self[r]);
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

/** Reset (each probe from the same weights, the authors' way) or online (the steps accumulate: one SGD epoch). */
export type ProbeMode = 'reset' | 'online';

/** The examples a probe runs on: row-major n x d inputs, their targets, which to probe and which to measure. */
export interface ProbeExamples {
  x: Float32Array | Float64Array;
  n: number;
  targets: ArrayLike<number>;
  /** Indices (into x) of the probed examples, in step order. */
  rows: number[];
  /** Indices (into x) of the measured examples (default: every example). */
  columns?: number[];
  /**
   * Online mode only: record rows [start, end) of `rows` (a shard); the steps
   * before `start` still run (unrecorded), the ones from `end` on do not.
   */
  record?: [number, number];
}

export function allIndices(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i);
}
