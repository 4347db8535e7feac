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
  const scale = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const d = values[i * n + i];
    if (!(d > 0)) throw new ElasticityError(`normalising a kernel needs a positive diagonal, but K(${i}, ${i}) = ${d}`, where);
    scale[i] = 1 / Math.sqrt(d);
  }
  for (let i = 0; i < n; i++) {
    const row = i * n, si = scale[i];
    for (let j = 0; j < n; j++) out[row + j] = values[row + j] * si * scale[j];
    out[row + i] = 1;
  }
  return out;
}
