/**
 * The diagonal K(x_i, x_i) of a kernel over n examples without the n x n
 * matrix: the kernel of each block of `block` consecutive examples (block x
 * block), its diagonal kept. Memory O(block^2 + n), work n * block kernel
 * entries instead of n^2. Each entry is the one the whole kernel has (the
 * kernels compute an entry from its two examples only; with float32
 * products, float32 rounding may differ where 'auto' precision picks
 * float64 for a small block).
 */
export async function kernelDiagonal(
  kernelOfBlock: (x: Float32Array, b: number) => Promise<Float64Array> | Float64Array,
  x: Float32Array, n: number, block = 256,
): Promise<Float64Array> {
  const d = x.length / n;
  const diagonal = new Float64Array(n);
  for (let start = 0; start < n; start += block) {
    const b = Math.min(block, n - start);
    const K = await kernelOfBlock(x.subarray(start * d, (start + b) * d), b);
    for (let i = 0; i < b; i++) diagonal[start + i] = K[i * b + i];
  }
  return diagonal;
}

/** The trace: the sum of the diagonal, in float64. */
export function trace(diagonal: Float64Array): number {
  let s = 0;
  for (const v of diagonal) s += v;
  return s;
}
