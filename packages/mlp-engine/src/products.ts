import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { matMul, matMulABt, rowNorms } from '@elasticity/core';
import { tf } from '@elasticity/core/tf';
import { DEFAULT_BLOCK_K, float32BlockErrorBound, mappedRow, transposeColumns } from './float32-blocks.ts';
import type { KMajorLeft, SupportMap } from './float32-blocks.ts';
import { float32Kernel } from './float32-kernel.ts';
import type { KernelChoice } from './float32-kernel.ts';
import type { LayerTileJob } from './layer-tile.ts';
import type { MlpLayer } from './mlp-net.ts';
import { runJob } from './product-jobs.ts';
import type { GemmJob, ProductJob } from './product-jobs.ts';

type Vec = Float32Array | Float64Array;

/**
 * How dense products are computed:
 * - 'float64': plain float64 loops (exact to ~1e-16; ~1 GFLOP/s);
 * - 'float32': float32 matmuls over K-blocks, summed in float64 (~1e-7
 *   relative, see float32BlockErrorBound), on the float32 kernel (float32-kernel.ts:
 *   ONNX Runtime's MLAS where onnxruntime-node is installed, else TensorFlow.js
 *   wasm; measured here, per core: about 3x as many GFLOP/s with MLAS);
 * - 'auto': float64 for small products, float32 blocks from `autoMinWork`
 *   multiply-adds on.
 */
export type ProductPrecision = 'float64' | 'float32' | 'auto';
export const PRODUCT_PRECISIONS: ProductPrecision[] = ['auto', 'float64', 'float32'];

export interface ProductOptions {
  precision?: ProductPrecision;
  /** Worker threads for float32 products (each runs the kernel on one core); 0 = in this thread. Default: all cores. */
  threads?: number;
  /** The float32 kernel (float32-kernel.ts): 'auto' (default) = ONNX Runtime where onnxruntime-node is installed, else TensorFlow.js wasm. */
  kernel?: KernelChoice;
  blockK?: number;
  /** 'auto' switches to float32 blocks from m n k >= autoMinWork (default 2e8, ~0.3 s of float64 loops). */
  autoMinWork?: number;
}

/** Options of Products.abt. */
export interface AbtOptions {
  /** B^T (k x n) in float32, when the caller already has it (no transposition); used by float32 products only. */
  bT?: Float32Array;
  /**
   * A k-major in float32 (k x lda), instead of a row-major A: row i of A is
   * column aCols[i] (column i when aCols is absent, lda = m). Products whose
   * operands are only given k-major run as float32 blocks whatever their size.
   * aCols listing all lda columns in order is the same as no aCols.
   */
  aT?: Float32Array;
  aCols?: Int32Array;
  /** A given implicitly by the first argument S: A_ik = S_ik > 0 ? p_k - q_i r_k S_ik : 0. */
  map?: SupportMap;
  /**
   * With k-major A and B: the k's whose terms can be nonzero (every other
   * A_ik or B_jk is 0), e.g. the ReLU units active at some example
   * (LayerForward.active); the float32 blocks then run over these only.
   * Ignored by float64 products (the other terms add 0).
   */
  kRows?: Int32Array;
  /**
   * 'auto' precision decides as for a product of this many rows of A (default
   * m): a block of rows of a larger product is then computed as the whole
   * product would be, in the same precision.
   */
  precisionRows?: number;
}

/** One dense layer's forward pass over n examples, computed by float32 products (see Products.layer). */
export interface LayerForward {
  /** h = z W^T + b and s(h), row-major n x units (unless rowMajor was false). */
  pre?: Float64Array;
  act?: Float64Array;
  /** s(h), k-major (units x n) in float32: the B^T of Gram products of act. */
  actT: Float32Array;
  /** Relative error bound of pre where it was not recomputed in float64 (ReLU: |h| <= 2 bound |z_j| |W_k| was). */
  bound: number;
  /** ReLU layers, when asked: 1[h > 0], k-major float32. */
  maskT?: Float32Array;
  /** With a readout a: a (*) s'(h) row-major float64 (unless rowMajor was false) and k-major float32, and a . s(h_j) per example. */
  back?: Float64Array;
  backT?: Float32Array;
  readoutDot?: Float64Array;
  /**
   * ReLU layers, when asked (nearZero): |W_k| per unit, and every entry
   * with |h_jk| <= 4 bound |z_j| |W_k| (twice the zone recomputed in float64:
   * where a small step can flip a unit) as pairs (j units + k, h_jk), in no particular order.
   */
  wNorm?: Float64Array;
  nearZero?: Float64Array;
  /** ReLU layers: the units active (h > 0) at some example, ascending; every other row of actT, maskT, backT is 0 (AbtOptions.kRows). */
  active?: Int32Array;
}

/** Dense products with float64 results (row-major). */
export interface Products {
  readonly precision: ProductPrecision;
  readonly blockK: number;
  /** Whether an m x n x k product runs as float32 blocks. */
  isFloat32(m: number, n: number, k: number): boolean;
  /** C = A B^T, A: m x k, B: n x k (a may be omitted given options.aT, b given options.bT). */
  abt(a: Vec | undefined, b: Vec | undefined, m: number, n: number, k: number, options?: AbtOptions): Promise<Float64Array>;
  /** C = A B, A: m x k, B: k x n. */
  ab(a: Vec, b: Vec, m: number, k: number, n: number): Promise<Float64Array>;
  /** Bound on |error| relative to sum_p |A_ip||B_pj| of a float32 product (0 for float64). */
  errorBound(m: number, n: number, k: number): number;
  /**
   * The forward pass of one dense layer (z: n x inputs) as float32 tiles of
   * units spread over the workers, everything elementwise done in the tiles
   * (see LayerTileJob); undefined when this layer's product is not float32.
   * zT: z k-major in float32 when known; readout: a, for the layer that feeds the readout;
   * rowMajor false: only the k-major outputs (no n x units float64 arrays).
   */
  layer(layer: MlpLayer, z: Vec, n: number, options?: { zT?: Float32Array; masks?: boolean; readout?: Float64Array; back?: boolean; nearZero?: boolean; rowMajor?: boolean }): Promise<LayerForward | undefined>;
  /** Starts the product workers now (they boot and load their kernel in the background, e.g. while a stage reads its inputs); nothing for float64 products. */
  warmUp(): void;
}

function isShared(a: Vec): boolean {
  return a.buffer instanceof SharedArrayBuffer;
}

/** `a` itself when it lives in shared memory, else a shared copy, so worker threads can read it. */
function shared<T extends Vec>(a: T): T {
  if (isShared(a)) return a;
  const out = (a instanceof Float32Array ? new Float32Array(new SharedArrayBuffer(a.length * 4)) : new Float64Array(new SharedArrayBuffer(a.length * 8))) as T;
  out.set(a);
  return out;
}

/** A zero-filled Float64Array in shared memory (usable by the product workers without a copy). */
export function sharedFloat64Array(length: number): Float64Array {
  return new Float64Array(new SharedArrayBuffer(length * 8));
}

function sharedFloat32Array(length: number): Float32Array {
  return new Float32Array(new SharedArrayBuffer(length * 4));
}

interface Pending {
  resolve: (result?: Float64Array) => void;
  reject: (e: Error) => void;
}

/** A lazily started pool of product workers, shared by the whole process; idle workers do not keep it alive. */
class WorkerPool {
  private workers: Worker[] = [];
  private pending = new Map<number, Pending>();
  private busy = new Map<Worker, number>();
  private nextId = 1;

  /** Starts workers up to `count` (they boot in the background). */
  ensure(count: number): void {
    while (this.workers.length < count) {
      const w = new Worker(WORKER_BOOT, { eval: true, env: { ...process.env, ELASTICITY_LOG: 'warn' } });
      w.on('message', (msg: { id: number; error?: string; result?: Float64Array }) => {
        if (msg.id === 0) {
          // the bootstrap failed: nothing this worker was given will finish
          for (const p of this.pending.values()) p.reject(new Error(`product worker failed to start: ${msg.error}`));
          this.pending.clear();
          // a dead worker must neither get jobs nor keep the process alive
          this.workers = this.workers.filter((v) => v !== w);
          void w.terminate();
          return;
        }
        const p = this.pending.get(msg.id);
        this.pending.delete(msg.id);
        const left = (this.busy.get(w) ?? 1) - 1;
        this.busy.set(w, left);
        if (left === 0) w.unref();
        if (!p) return;
        if (msg.error) p.reject(new Error(`product worker: ${msg.error}`));
        else p.resolve(msg.result);
      });
      w.on('error', (e) => {
        for (const p of this.pending.values()) p.reject(e);
        this.pending.clear();
      });
      // (after the listeners: adding a 'message' listener refs the worker again)
      w.unref();
      this.workers.push(w);
    }
  }

  /**
   * Ends every worker once no job is left: each lets its kernels finish
   * loading and releases them first (releaseFloat32Kernels), so the process
   * never ends while a worker is in the middle of loading ONNX Runtime. Run
   * when the process is about to exit (beforeExit, below); a worker that
   * has not ended after `graceMs` is terminated.
   */
  async close(graceMs = 5000): Promise<void> {
    const workers = this.workers;
    this.workers = [];
    await Promise.all(workers.map((w) => new Promise<void>((resolve) => {
      const timer = setTimeout(() => void w.terminate(), graceMs);
      w.once('exit', () => {
        clearTimeout(timer);
        resolve();
      });
      w.ref();
      w.postMessage({ close: true });
    })));
  }

  get size(): number {
    return this.workers.length;
  }

  private run(index: number, job: ProductJob, kernel: KernelChoice): Promise<Float64Array | undefined> {
    const w = this.workers[index];
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.busy.set(w, (this.busy.get(w) ?? 0) + 1);
      w.ref();
      w.postMessage({ id, job, kernel });
    });
  }

  /** Runs the jobs on `count` workers, each taking the next job when it is done (give the largest first); their results in job order. */
  async runAll(jobs: ProductJob[], count: number, kernel: KernelChoice): Promise<Array<Float64Array | undefined>> {
    const lanes = Math.min(count, jobs.length);
    this.ensure(lanes);
    const results: Array<Float64Array | undefined> = new Array(jobs.length);
    let next = 0;
    const lane = async (w: number): Promise<void> => {
      while (next < jobs.length) {
        const t = next++;
        results[t] = await this.run(w, jobs[t], kernel);
      }
    };
    await Promise.all(Array.from({ length: lanes }, (_, w) => lane(w)));
    return results;
  }
}

/**
 * The worker is TypeScript run by tsx: a plain-JS bootstrap registers tsx's
 * CommonJS require hook in the worker thread (loader flags of the parent do
 * not reach workers on Node 20), then requires products-worker.ts. (tsx's
 * ESM loader runs its hooks on a thread of their own per worker: measured
 * ~150 ms slower to boot two workers.)
 */
const WORKER_BOOT = `try {
  require(${JSON.stringify(createRequire(import.meta.url).resolve('tsx/cjs/api'))}).register();
  require(${JSON.stringify(fileURLToPath(new URL('./products-worker.ts', import.meta.url)))});
} catch (e) {
  require('node:worker_threads').parentPort.postMessage({ id: 0, error: String(e && e.stack || e) });
}`;

const pool = new WorkerPool();
// When nothing is left to do, the workers end first (see WorkerPool.close), then the process.
process.on('beforeExit', () => {
  if (pool.size > 0) void pool.close();
});

/** Shared float64 copies of weight matrices handed to the workers (one copy per matrix). */
const sharedCopies = new WeakMap<Vec, Vec>();
function sharedOnce<T extends Vec>(a: T): T {
  if (isShared(a)) return a;
  let s = sharedCopies.get(a) as T | undefined;
  if (!s) {
    s = shared(a);
    sharedCopies.set(a, s);
  }
  return s;
}

/** A k-major left factor in shared memory (worker threads read it without a copy). */
function sharedLeft(a: Vec | KMajorLeft): Vec | KMajorLeft {
  if (a instanceof Float32Array || a instanceof Float64Array) return shared(a);
  return { ...a, values: shared(a.values) };
}

/** The materialised A of a SupportMap over S (m x k). */
function mapped(s: Vec, m: number, k: number, map: SupportMap): Float64Array {
  const out = new Float64Array(m * k);
  for (let i = 0; i < m; i++) mappedRow(s, i, k, map, out, 0, k, i * k);
  return out;
}

export function createProducts(options: ProductOptions = {}): Products {
  const precision = options.precision ?? 'auto';
  const threads = options.threads ?? availableParallelism();
  const blockK = options.blockK ?? DEFAULT_BLOCK_K;
  const kernel = options.kernel ?? 'auto';
  const minWork = options.autoMinWork ?? 2e8;
  const isFloat32 = (m: number, n: number, k: number): boolean => precision === 'float32' || (precision === 'auto' && m * n * k >= minWork);
  const arr64 = (length: number) => (threads > 0 ? sharedFloat64Array(length) : new Float64Array(length));
  const arr32 = (length: number) => (threads > 0 ? sharedFloat32Array(length) : new Float32Array(length));

  async function runJobs(jobs: ProductJob[]): Promise<Array<Float64Array | undefined>> {
    if (threads <= 0) {
      const { kernel: matMul } = await float32Kernel(kernel, async () => tf);
      const results: Array<Float64Array | undefined> = [];
      for (const job of jobs) results.push(await runJob(matMul, job));
      return results;
    }
    return pool.runAll(jobs, threads, kernel);
  }

  /** B (n x k, row-major) as float32 k x n, the columns split over the workers. */
  async function transposed(b: Vec, n: number, k: number): Promise<Float32Array> {
    const dst = arr32(k * n);
    if (threads <= 0 || n * k < 1 << 20) {
      transposeColumns(b, n, k, 0, k, dst);
      return dst;
    }
    const src = shared(b);
    const parts = 2 * threads;
    await runJobs(Array.from({ length: parts }, (_, t) => ({ kind: 'transpose' as const, src, dst, m: n, k, p0: Math.floor((t * k) / parts), p1: Math.floor(((t + 1) * k) / parts) })));
    return dst;
  }

  /**
   * C = A B from A (m x k) and B k-major (bt: k x n): row strips (and
   * column strips of at most 4096 for wide C), the largest first. With
   * `symmetric` (C = C^T known) only strips of the upper triangle are
   * computed and mirrored: two per worker (4 strips: 62.5% of the work;
   * measured faster than 8 thinner ones, 56%, as each float32 block of B is
   * then packed for more rows).
   */
  async function gemm(a: Vec | KMajorLeft, bt: Vec, m: number, k: number, n: number, symmetric: boolean, map?: SupportMap, kRows?: Int32Array): Promise<Float64Array> {
    const out = arr64(m * n);
    const sa = threads > 0 ? sharedLeft(a) : a, sb = threads > 0 ? shared(bt) : bt;
    const rowStrips = symmetric ? Math.min(2 * Math.max(1, threads), Math.max(1, Math.floor(m / 64))) : Math.max(1, Math.min(threads, Math.floor(m / 32)));
    const colStrips = symmetric ? 1 : Math.ceil(n / 4096);
    const jobs: GemmJob[] = [];
    for (let s = 0; s < rowStrips; s++) {
      const r0 = Math.floor((s * m) / rowStrips), r1 = Math.floor(((s + 1) * m) / rowStrips);
      for (let t = 0; t < colStrips; t++) {
        const c0 = symmetric ? r0 : Math.floor((t * n) / colStrips), c1 = symmetric ? n : Math.floor(((t + 1) * n) / colStrips);
        if (r1 > r0 && c1 > c0) jobs.push({ kind: 'gemm', a: sa, bt: sb, out, r0, r1, c0, c1, k, n, blockK, map, kRows });
      }
    }
    jobs.sort((p, q) => (q.r1 - q.r0) * (q.c1 - q.c0) - (p.r1 - p.r0) * (p.c1 - p.c0));
    await runJobs(jobs);
    if (symmetric) {
      // the lower triangle outside the diagonal strips is the mirror image
      for (const j of jobs) for (let i = j.r0; i < j.r1; i++) for (let c = 0; c < j.r0; c++) out[i * n + c] = out[c * n + i];
    }
    return out;
  }

  return {
    precision,
    blockK,
    isFloat32,
    errorBound: (m, n, k) => (isFloat32(m, n, k) ? float32BlockErrorBound(blockK) : 0),
    warmUp() {
      if (threads > 0 && precision !== 'float64') pool.ensure(threads);
    },
    async abt(a, b, m, n, k, opts = {}) {
      if (a && b && !isFloat32(opts.precisionRows ?? m, n, k)) return matMulABt(opts.map ? mapped(a, m, k, opts.map) : a, b, m, n, k);
      const { aT, aCols } = opts;
      if (!a && !(aT && aT.length % k === 0 && (aCols ? aCols.length === m : aT.length === m * k))) throw new Error(`Products.abt: no A (${m} x ${k}) given, row-major or k-major`);
      if (!b && !(opts.bT && opts.bT.length === n * k)) throw new Error(`Products.abt: no B (${n} x ${k}) given, row-major or k-major`);
      const bt = opts.bT ?? (await transposed(b!, n, k));
      const lda = aT ? aT.length / k : 0;
      // all columns in order: the same as no aCols (and A A^T can then be recognised)
      const cols = aCols && !(aCols.length === lda && aCols.every((v, i) => v === i)) ? aCols : undefined;
      const left = a ?? { values: aT!, lda, cols };
      // A A^T: a symmetric result
      const symmetric = m === n && !opts.map && (a ? a === b : aT === opts.bT && !cols);
      // (kRows only for a k-major A: a row-major one sums over all k, which adds only zeros)
      return gemm(left, bt, m, k, n, symmetric, opts.map, a ? undefined : opts.kRows);
    },
    async ab(a, b, m, k, n) {
      if (!isFloat32(m, n, k)) return matMul(a, b, m, k, n);
      return gemm(a, b, m, k, n, false);
    },
    async layer(layer, z, n, opts = {}) {
      const { inputs, units, activation } = layer;
      if (!isFloat32(n, units, inputs)) return undefined;
      // workers boot while this thread prepares the inputs
      if (threads > 0) pool.ensure(threads);
      const W = threads > 0 ? sharedOnce(layer.W) : layer.W;
      const zs = threads > 0 ? shared(z) : z;
      let zT = opts.zT;
      if (!zT) {
        zT = arr32(inputs * n);
        transposeColumns(z, n, inputs, 0, inputs, zT);
      }
      const zNorm = rowNorms(z, n, inputs);
      // one K-block when the inputs fit in two (no float64 accumulation of partial blocks)
      const layerBlock = inputs <= 2 * blockK ? inputs : blockK;
      const bound = float32BlockErrorBound(layerBlock);
      const relu = activation === 'relu';
      const readout = opts.readout;
      const rowMajor = opts.rowMajor ?? true;
      const out: LayerForward = {
        pre: rowMajor ? arr64(n * units) : undefined, act: rowMajor ? arr64(n * units) : undefined, actT: arr32(units * n), bound,
        maskT: relu && opts.masks ? arr32(units * n) : undefined,
        back: readout && opts.back && rowMajor ? arr64(n * units) : undefined, backT: readout && opts.back ? arr32(units * n) : undefined,
        wNorm: relu && opts.nearZero ? arr64(units) : undefined,
      };
      // tiles of ~1e6 entries (8 MB of float64 sums per tile)
      // (a multiple of the workers' count of tiles of equal size, so that they finish together)
      const lanes = Math.max(1, threads);
      const tiles = Math.ceil(Math.ceil(units / Math.max(8, Math.min(4096, 1e6 / n))) / lanes) * lanes;
      const U = Math.ceil(units / tiles);
      const readoutParts = readout ? arr64(tiles * n) : undefined;
      const activeUnits = relu ? new Uint8Array(threads > 0 ? new SharedArrayBuffer(units) : new ArrayBuffer(units)) : undefined;
      const jobs: LayerTileJob[] = Array.from({ length: tiles }, (_, t): LayerTileJob => ({
        kind: 'layer', z: zs, zT: zT!, zNorm, W, b: layer.b, activation, n, units, inputs, u0: Math.min(units, t * U), u1: Math.min(units, (t + 1) * U), blockK: layerBlock, bound,
        pre: out.pre, act: out.act, actT: out.actT, maskT: out.maskT, readout, back: out.back, backT: out.backT, readoutParts, tile: t,
        wNorm: out.wNorm, nearZero: out.wNorm !== undefined, active: activeUnits,
      })).filter((job) => job.u1 > job.u0);
      const lists = await runJobs(jobs);
      if (out.wNorm) {
        const near = new Float64Array(lists.reduce((s, v) => s + (v?.length ?? 0), 0));
        let at = 0;
        for (const v of lists) if (v) near.set(v, (at += v.length) - v.length);
        out.nearZero = near;
      }
      if (activeUnits) {
        let count = 0;
        for (let k = 0; k < units; k++) count += activeUnits[k];
        out.active = new Int32Array(count);
        for (let k = 0, c = 0; k < units; k++) if (activeUnits[k]) out.active[c++] = k;
      }
      if (readoutParts) {
        const dot = new Float64Array(n);
        for (let t = 0; t < tiles; t++) for (let j = 0; j < n; j++) dot[j] += readoutParts[t * n + j];
        out.readoutDot = dot;
      }
      return out;
    },
  };
}

/** Float64 products only (exact reference arithmetic). */
export const FLOAT64_PRODUCTS: Products = createProducts({ precision: 'float64' });
