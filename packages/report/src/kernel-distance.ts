import { EigenvalueDecomposition, Matrix } from 'ml-matrix';

/**
 * The top-`components` eigen-embedding of a symmetric kernel matrix K
 * (n x n, row-major): point i goes to (sqrt(l_1) v_1[i], ..., sqrt(l_k) v_k[i])
 * for the k largest eigenvalues l (negative ones, which a symmetrised probe
 * matrix can have, count as 0). Row-major n x k.
 */
export function eigenEmbedding(kernel: Float64Array, n: number, components = 10): { embedding: Float64Array; dim: number; eigenvalues: number[] } {
  if (kernel.length !== n * n) throw new Error(`eigenEmbedding: ${kernel.length} values for ${n} x ${n}`);
  const rows = Array.from({ length: n }, (_, i) => Array.from(kernel.subarray(i * n, (i + 1) * n)));
  const evd = new EigenvalueDecomposition(new Matrix(rows), { assumeSymmetric: true });
  const values = evd.realEigenvalues;
  const vectors = evd.eigenvectorMatrix;
  const order = values.map((_, i) => i).sort((a, b) => values[b] - values[a]);
  const dim = Math.min(components, n);
  const top = order.slice(0, dim);
  const embedding = new Float64Array(n * dim);
  top.forEach((col, c) => {
    const scale = Math.sqrt(Math.max(0, values[col]));
    for (let i = 0; i < n; i++) embedding[i * dim + c] = scale * vectors.get(i, col);
  });
  return { embedding, dim, eigenvalues: top.map((c) => values[c]) };
}

/** Euclidean distances between the rows of the top-`components` eigen-embedding of K: the kernel distance. */
export function kernelDistances(kernel: Float64Array, n: number, components = 10): Float64Array {
  const { embedding, dim } = eigenEmbedding(kernel, n, components);
  const out = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      let s = 0;
      for (let c = 0; c < dim; c++) s += (embedding[i * dim + c] - embedding[j * dim + c]) ** 2;
      out[i * n + j] = out[j * n + i] = Math.sqrt(s);
    }
  }
  return out;
}
