import { ElasticityError } from '@elasticity/core';
import { tf } from '@elasticity/core/tf';
import { FLOAT64_PRODUCTS, gradientBackendFor, onBackend } from '@elasticity/mlp-engine';
import type { Products } from '@elasticity/mlp-engine';

export interface GenericNtkOptions {
  /** Shape of one input as the model takes it (default [d]). */
  inputShape?: number[];
  /** Rows of the kernel (indices into x; default all); columns are always all n examples. */
  rows?: ArrayLike<number>;
  /** Memory for per-example gradients held at once, in MB (default 1024). */
  memoryMb?: number;
  products?: Products;
  /** Called with the number of gradients computed so far and the total planned. */
  onProgress?: (done: number, total: number) => void;
  where?: { file?: string; field?: string };
}

/**
 * The empirical NTK <grad_w f(x_i), grad_w f(x_j)> of any tf.LayersModel
 * with one scalar output (the output as the model returns it: p for a
 * sigmoid output), over every trainable weight: per-example gradients
 * (float32, as TensorFlow.js computes them), and the Gram matrix built in
 * blocks so that at most `memoryMb` of gradients are held at once. When all
 * gradients fit, each is computed once; otherwise a block of rows is held
 * while the columns stream past (their gradients recomputed per row block).
 * Products of float32 numbers are exact in float64: with float64 products
 * the Gram is exact given the gradients.
 */
export async function genericNtk(model: tf.LayersModel, x: Float32Array | Float64Array, n: number, options: GenericNtkOptions = {}): Promise<Float64Array> {
  const d = x.length / n;
  const inputShape = options.inputShape ?? [d];
  const rows = Array.from(options.rows ?? Array.from({ length: n }, (_, i) => i));
  const nr = rows.length;
  const products = options.products ?? FLOAT64_PRODUCTS;
  const vars = model.trainableWeights.map((w) => w.read() as tf.Variable);
  const P = vars.reduce((s, v) => s + v.size, 0);
  const budget = Math.max(1, Math.floor(((options.memoryMb ?? 1024) * 2 ** 20) / (4 * P)));
  const x32 = x instanceof Float32Array ? x : Float32Array.from(x);

  /** Gradients of the output at examples `idx`, one row of P float32 values each. */
  let done = 0;
  const gradBackend = gradientBackendFor(model);
  const gradients = (idx: number[]): Promise<Float32Array> => onBackend(gradBackend, () => {
    const out = new Float32Array(idx.length * P);
    idx.forEach((i, r) => {
      tf.tidy(() => {
        const xi = tf.tensor(x32.subarray(i * d, (i + 1) * d), [1, ...inputShape]);
        const { value, grads } = tf.variableGrads(() => {
          const y = model.apply(xi) as tf.Tensor;
          if (y.size !== 1) throw new ElasticityError(`the model must have one scalar output per example, got shape ${JSON.stringify(y.shape)}`, options.where);
          return y.sum() as tf.Scalar;
        }, vars);
        let off = r * P;
        for (const v of vars) {
          const g = grads[v.name].dataSync();
          out.set(g, off);
          off += g.length;
        }
        value.dispose();
      });
      options.onProgress?.(++done, planned);
    });
    return out;
  });

  const K = new Float64Array(nr * n);
  const all = Array.from({ length: n }, (_, i) => i);
  let planned: number;
  if (n <= budget) {
    planned = n;
    const J = await gradients(all);
    const Jr = new Float32Array(nr * P);
    rows.forEach((i, r) => Jr.set(J.subarray(i * P, (i + 1) * P), r * P));
    K.set(await products.abt(Jr, J, nr, n, P));
    return K;
  }
  const block = Math.max(1, Math.floor(budget / 2));
  planned = nr + Math.ceil(nr / block) * n;
  for (let r0 = 0; r0 < nr; r0 += block) {
    const rb = rows.slice(r0, r0 + block);
    const Jr = await gradients(rb);
    for (let c0 = 0; c0 < n; c0 += block) {
      const cb = all.slice(c0, c0 + block);
      const Jc = await gradients(cb);
      const part = await products.abt(Jr, Jc, rb.length, cb.length, P);
      for (let r = 0; r < rb.length; r++) for (let c = 0; c < cb.length; c++) K[(r0 + r) * n + c0 + c] = part[r * cb.length + c];
    }
  }
  return K;
}
