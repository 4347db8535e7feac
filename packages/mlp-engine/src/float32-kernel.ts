import type { tf as TF } from '@elasticity/core/tf';
import { openOnnxMatMul } from '@elasticity/core';
import type { KernelChoice } from '@elasticity/core';

/** The part of TensorFlow.js the tfjs kernel uses (the main thread's or a worker's backend). */
export type MatMulBackend = Pick<typeof TF, 'matMul' | 'tensor2d' | 'tidy'>;

/**
 * C = A B in float32 (A: m x k, B: k x n, row-major, float32 products with
 * float32 sums over k): the one kernel every float32 product block runs.
 * Each entry of C is computed the same way whatever the other rows and
 * columns of the call (so products of a subset of rows, e.g. a probe
 * shard, give the same bits).
 */
export type Float32MatMul = (a: Float32Array, b: Float32Array, m: number, k: number, n: number) => Promise<Float32Array>;

export type { KernelChoice };

/** The kernel on TensorFlow.js (whatever backend `tf` runs: wasm in the product workers). */
export function tfjsMatMul(tf: MatMulBackend): Float32MatMul {
  return async (a, b, m, k, n) => {
    const c = tf.tidy(() => tf.matMul(tf.tensor2d(a, [m, k]), tf.tensor2d(b, [k, n])));
    const v = c.dataSync() as Float32Array;
    c.dispose();
    return v;
  };
}

/**
 * MLAS (ONNX Runtime's CPU GEMM) changes how it slices k for calls with
 * n <= 64 columns (when n < k) and runs a separate path for one row: such
 * calls are padded with zero columns / a zero row, so that every entry sums
 * over k in the same order whatever the shape of the call.
 */
const MIN_COLUMNS = 128;
const MIN_ROWS = 2;

/**
 * ONNX Runtime's CPU MatMul on one thread (the product workers are the
 * parallelism); undefined when onnxruntime-node is not installed (an
 * optional dependency). Its inputs must not live in shared memory: shared
 * views are copied.
 */
export async function onnxMatMul(): Promise<(Float32MatMul & { release(): Promise<void> }) | undefined> {
  const session = await openOnnxMatMul();
  if (!session) return undefined;
  const own = (v: Float32Array): Float32Array => (v.buffer instanceof SharedArrayBuffer ? v.slice() : v);
  const matMul: Float32MatMul = async (a, b, m, k, n) => {
    const rows = Math.max(m, MIN_ROWS), cols = Math.max(n, MIN_COLUMNS);
    let A = own(a.subarray(0, m * k)), B = own(b.subarray(0, k * n));
    if (rows > m) {
      A = new Float32Array(rows * k);
      A.set(a.subarray(0, m * k));
    }
    if (cols > n) {
      B = new Float32Array(k * cols);
      for (let p = 0; p < k; p++) B.set(b.subarray(p * n, (p + 1) * n), p * cols);
    }
    const c = new Float32Array(rows * cols);
    await session.into(A, B, rows, k, cols, c);
    if (rows === m && cols === n) return c;
    const out = new Float32Array(m * n);
    for (let i = 0; i < m; i++) out.set(c.subarray(i * cols, i * cols + n), i * n);
    return out;
  };
  return Object.assign(matMul, { release: () => session.release() });
}

/** A cache of this thread's kernels (each made once). */
const kernels = new Map<'onnx' | 'tfjs', Promise<Float32MatMul | undefined>>();
let onnxSession: Promise<(Float32MatMul & { release(): Promise<void> }) | undefined> | undefined;

/**
 * This thread's kernel for a choice: 'onnx' (ONNX Runtime's MLAS MatMul,
 * onnxruntime-node), 'tfjs' (the wasm backend of `tfjs()`), or 'auto': ONNX
 * Runtime where onnxruntime-node is installed (an optional dependency), else
 * tfjs. Each is made on first use. Returns which kernel it is, too.
 */
export async function float32Kernel(choice: KernelChoice, tfjs: () => Promise<MatMulBackend>): Promise<{ kernel: Float32MatMul; name: 'onnx' | 'tfjs' }> {
  if (choice === 'onnx' || choice === 'auto') {
    if (!kernels.has('onnx')) kernels.set('onnx', (onnxSession = onnxMatMul()));
    const onnx = await kernels.get('onnx')!;
    if (onnx) return { kernel: onnx, name: 'onnx' };
    if (choice === 'onnx') throw new Error('the float32 kernel "onnx" needs onnxruntime-node, which is not installed');
  }
  if (!kernels.has('tfjs')) kernels.set('tfjs', tfjs().then(tfjsMatMul));
  return { kernel: (await kernels.get('tfjs'))!, name: 'tfjs' };
}

/**
 * Lets this thread's kernels finish loading, then releases ONNX Runtime's
 * session: a thread must end with no ONNX Runtime session being created or
 * alive (a worker torn down while onnxruntime-node initialised aborted the
 * whole process with "terminate called after throwing an instance of
 * 'Napi::Error'").
 */
export async function releaseFloat32Kernels(): Promise<void> {
  await Promise.allSettled([...kernels.values()]);
  const onnx = await onnxSession?.catch(() => undefined);
  kernels.clear();
  onnxSession = undefined;
  await onnx?.release();
}
