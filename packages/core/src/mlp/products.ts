import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { tf } from '../backend.ts';
import { matMul, matMulABt } from '../linalg/gemm.ts';
import { blockedGemmRows, DEFAULT_BLOCK_K, float32BlockErrorBound } from './float32-blocks.ts';
import type { ProductJob } from './products-worker.ts';

type Vec = Float32Array | Float64Array;

/**
 * How dense products are computed:
 * - 'float64': plain float64 loops (exact to ~1e-16; ~1 GFLOP/s);
 * - 'float32': float32 matmuls (TensorFlow.js wasm, ~40 GFLOP/s per core)
 *   over K-blocks, summed in float64 (~1e-7 relative, see float32BlockErrorBound);
 * - 'auto': float64 for small products, float32 blocks from `autoMinWork`
 *   multiply-adds on.
 */
export type ProductPrecision = 'float64' | 'float32' | 'auto';
export const PRODUCT_PRECISIONS: ProductPrecision[] = ['auto', 'float64', 'float32'];

export interface ProductOptions {
  precision?: ProductPrecision;
  /** Worker threads for float32 products (each its own wasm backend); 0 = in this thread's backend. Default: all cores. */
  threads?: number;
  blockK?: number;
  /** 'auto' switches to float32 blocks from m n k >= autoMinWork (default 2e8, ~0.3 s of float64 loops). */
  autoMinWork?: number;
}

/** Dense products with float64 results (row-major). */
export interface Products {
  readonly precision: ProductPrecision;
  readonly blockK: number;
  /** Whether an m x n x k product runs as float32 blocks. */
  isFloat32(m: number, n: number, k: number): boolean;
  /** C = A B^T, A: m x k, B: n x k. */
  abt(a: Vec, b: Vec, m: number, n: number, k: number): Promise<Float64Array>;
  /** C = A B, A: m x k, B: k x n. */
  ab(a: Vec, b: Vec, m: number, k: number, n: number): Promise<Float64Array>;
  /** Bound on |error| relative to sum_p |A_ip||B_pj| of a float32 product (0 for float64). */
  errorBound(m: number, n: number, k: number): number;
}

/** `a` itself when it lives in shared memory (whole buffer), else a shared copy, so worker threads can read it. */
function shared(a: Vec, length: number): Vec {
  if (a.buffer instanceof SharedArrayBuffer && a.byteOffset === 0 && a.length === length) return a;
  const out = a instanceof Float32Array ? new Float32Array(new SharedArrayBuffer(length * 4)) : new Float64Array(new SharedArrayBuffer(length * 8));
  out.set(a.subarray(0, length));
  return out;
}

/** A zero-filled Float64Array in shared memory (usable by the product workers without a copy). */
export function sharedFloat64Array(length: number): Float64Array {
  return new Float64Array(new SharedArrayBuffer(length * 8));
}

interface Pending {
  resolve: () => void;
  reject: (e: Error) => void;
}

/** A lazily started pool of product workers, shared by the whole process; idle workers do not keep it alive. */
class WorkerPool {
  private workers: Worker[] = [];
  private pending = new Map<number, Pending>();
  private busy = new Map<Worker, number>();
  private nextId = 1;

  size(): number {
    return this.workers.length;
  }

  ensure(count: number): void {
    while (this.workers.length < count) {
      const w = new Worker(WORKER_BOOT, { eval: true, env: { ...process.env, ELASTICITY_LOG: 'warn' } });
      w.unref();
      w.on('message', (msg: { id: number; error?: string }) => {
        if (msg.id === 0) {
          // the bootstrap failed: nothing this worker was given will finish
          for (const p of this.pending.values()) p.reject(new Error(`product worker failed to start: ${msg.error}`));
          this.pending.clear();
          return;
        }
        const p = this.pending.get(msg.id);
        this.pending.delete(msg.id);
        const left = (this.busy.get(w) ?? 1) - 1;
        this.busy.set(w, left);
        if (left === 0) w.unref();
        if (!p) return;
        if (msg.error) p.reject(new Error(`product worker: ${msg.error}`));
        else p.resolve();
      });
      w.on('error', (e) => {
        for (const p of this.pending.values()) p.reject(e);
        this.pending.clear();
      });
      this.workers.push(w);
    }
  }

  run(index: number, job: Omit<ProductJob, 'id'>): Promise<void> {
    const w = this.workers[index];
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.busy.set(w, (this.busy.get(w) ?? 0) + 1);
      w.ref();
      w.postMessage({ ...job, id });
    });
  }
}

/**
 * The worker is TypeScript run by tsx: a plain-JS bootstrap registers tsx's
 * loader in the worker thread (loader flags of the parent do not reach
 * workers on Node 20), then imports products-worker.ts.
 */
const WORKER_BOOT = `import(${JSON.stringify(import.meta.resolve('tsx/esm/api'))})
  .then((tsx) => { tsx.register(); return import(${JSON.stringify(new URL('./products-worker.ts', import.meta.url).href)}); })
  .catch((e) => { require('node:worker_threads').parentPort.postMessage({ id: 0, error: String(e && e.stack || e) }); });`;

const pool = new WorkerPool();

/**
 * C = A B (A: m x k float32, B: k x n float32, both shared) as float32 K-blocks,
 * row tiles spread over the workers. With `symmetric` (C known to be
 * symmetric: A B = (A B)^T) only the upper triangle's row tiles are computed
 * (62.5% of the work with 4 tiles) and mirrored.
 */
async function blockedGemm(
  a: Vec, b: Vec, bTransposed: boolean, m: number, k: number, n: number, blockK: number, threads: number, symmetric = false,
): Promise<Float64Array> {
  const tiles = symmetric ? 4 : Math.max(1, threads);
  const bounds = Array.from({ length: tiles + 1 }, (_, t) => Math.floor((t * m) / tiles));
  const jobs = bounds.slice(0, -1).map((r0, t) => ({ r0, r1: bounds[t + 1], c0: symmetric ? r0 : 0 })).filter((j) => j.r1 > j.r0);
  let out: Float64Array;
  if (threads <= 0) {
    out = new Float64Array(m * n);
    for (const j of jobs) blockedGemmRows(tf, a, b, bTransposed, j.r0, j.r1, k, n, blockK, out, j.c0);
  } else {
    const sa = shared(a, m * k), sb = b === a ? sa : shared(b, k * n);
    const outBuf = new SharedArrayBuffer(m * n * 8);
    const workers = Math.min(threads, jobs.length);
    pool.ensure(workers);
    // symmetric tiles shrink: pair the largest with the smallest (0 and 3, 1 and 2 for two workers)
    const order = symmetric ? jobs.map((_, t) => (t % 2 === 0 ? t / 2 : jobs.length - 1 - (t - 1) / 2)) : jobs.map((_, t) => t);
    const type = (v: Vec) => (v instanceof Float32Array ? 'f32' as const : 'f64' as const);
    await Promise.all(order.map((t, q) => pool.run(q % workers, {
      a: sa.buffer as SharedArrayBuffer, b: sb.buffer as SharedArrayBuffer, aType: type(sa), bType: type(sb), bTransposed,
      out: outBuf, k, n, blockK, ...jobs[t],
    })));
    out = new Float64Array(outBuf);
  }
  if (symmetric) {
    // the lower triangle outside the diagonal tiles is the mirror image
    for (let t = 0; t < jobs.length; t++) for (let i = jobs[t].r0; i < jobs[t].r1; i++) for (let j = 0; j < jobs[t].r0; j++) out[i * n + j] = out[j * n + i];
  }
  return out;
}

export function createProducts(options: ProductOptions = {}): Products {
  const precision = options.precision ?? 'auto';
  const threads = options.threads ?? availableParallelism();
  const blockK = options.blockK ?? DEFAULT_BLOCK_K;
  const minWork = options.autoMinWork ?? 2e8;
  const isFloat32 = (m: number, n: number, k: number): boolean => precision === 'float32' || (precision === 'auto' && m * n * k >= minWork);
  return {
    precision,
    blockK,
    isFloat32,
    errorBound: (m, n, k) => (isFloat32(m, n, k) ? float32BlockErrorBound(blockK) : 0),
    async abt(a, b, m, n, k) {
      if (!isFloat32(m, n, k)) return matMulABt(a, b, m, n, k);
      // A A^T: a symmetric result
      return blockedGemm(a, b, true, m, k, n, blockK, threads, a === b && m === n);
    },
    async ab(a, b, m, k, n) {
      if (!isFloat32(m, n, k)) return matMul(a, b, m, k, n);
      return blockedGemm(a, b, false, m, k, n, blockK, threads);
    },
  };
}

/** Float64 products only (exact reference arithmetic). */
export const FLOAT64_PRODUCTS: Products = createProducts({ precision: 'float64' });
