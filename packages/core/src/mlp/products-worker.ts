/**
 * Worker thread of the float32 product pool (products.ts): its own
 * TensorFlow.js wasm backend; computes row ranges of C = A B into a shared
 * float64 output.
 */
import { parentPort } from 'node:worker_threads';
import { initBackend, tf } from '../backend.ts';
import { blockedGemmRows } from './float32-blocks.ts';

export interface ProductJob {
  id: number;
  a: SharedArrayBuffer;
  b: SharedArrayBuffer;
  /** Element types of a and b. */
  aType: 'f32' | 'f64';
  bType: 'f32' | 'f64';
  /** b holds B^T (n x k). */
  bTransposed: boolean;
  out: SharedArrayBuffer;
  r0: number;
  r1: number;
  k: number;
  n: number;
  blockK: number;
  /** First column computed (the upper triangle of a symmetric product). */
  c0: number;
}

const port = parentPort;
if (port) {
  const ready = initBackend('wasm');
  port.on('message', async (job: ProductJob) => {
    try {
      await ready;
      const view = (buf: SharedArrayBuffer, type: 'f32' | 'f64') => (type === 'f32' ? new Float32Array(buf) : new Float64Array(buf));
      blockedGemmRows(tf, view(job.a, job.aType), view(job.b, job.bType), job.bTransposed, job.r0, job.r1, job.k, job.n, job.blockK, new Float64Array(job.out), job.c0);
      port.postMessage({ id: job.id });
    } catch (e) {
      port.postMessage({ id: job.id, error: (e as Error).message });
    }
  });
}
