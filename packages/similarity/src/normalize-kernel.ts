import { ElasticityError } from '@elasticity/core';

/**
 * The normalised kernel K_ij / sqrt(K_ii K_jj) of a square row-major n x n
 * kernel (a cosine similarity in the kernel's feature space: unit diagonal,
 * entries in [-1, 1] for a PSD kernel). `out` may be `values` itself to
 * normalise in place. Throws naming the file and field when a diagonal
 * entry is not positive (the normalisation is then undefined).
 */
export function normalizeKernel(values: Float64Array, n: number, where: { file?: string; field?: string }, out: Float64Array = new Float64Array(n * n)): Float64Array {
  if (values.length !== n * n) throw new RangeError(`${values.length} values for ${n} x ${n}`);
  const scale = inverseSqrtDiagonal(Float64Array.from({ length: n }, (_, i) => values[i * n + i]), where);
  normalizeRows(values, 0, scale, out);
  return out;
}

/** 1 / sqrt(K_ii) of each diagonal entry; throws naming the file and field at the first that is not positive. */
export function inverseSqrtDiagonal(diagonal: Float64Array, where: { file?: string; field?: string }): Float64Array {
  const scale = new Float64Array(diagonal.length);
  for (let i = 0; i < diagonal.length; i++) {
    const d = diagonal[i];
    if (!(d > 0)) throw new ElasticityError(`normalising a kernel needs a positive diagonal, but K(${i}, ${i}) = ${d}`, where);
    scale[i] = 1 / Math.sqrt(d);
  }
  return scale;
}

/**
 * Rows [from, from + rows / n) of the normalised kernel, from those rows of
 * the kernel (`values`, row-major, n = scale.length columns) and the
 * inverse square roots of the whole diagonal; `out` may be `values`.
 */
export function normalizeRows(values: Float64Array, from: number, scale: Float64Array, out: Float64Array): void {
  const n = scale.length;
  for (let r = 0; r < values.length / n; r++) {
    const i = from + r, row = r * n, si = scale[i];
    for (let j = 0; j < n; j++) out[row + j] = values[row + j] * si * scale[j];
    out[row + i] = 1;
  }
}
