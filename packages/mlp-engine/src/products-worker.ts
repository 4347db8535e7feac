/**
 * Worker thread of the float32 product pool (products.ts): its own
 * TensorFlow.js wasm backend; runs one ProductJob per message, writing into
 * the job's shared outputs, and answers { id } (or { id, result }, or { id, error }).
 *
 * It loads only tfjs-core and the wasm backend (what @tensorflow/tfjs and
 * @tensorflow/tfjs-backend-wasm are built on), not the whole of
 * @tensorflow/tfjs: a worker then starts in about half the time.
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { parentPort } from 'node:worker_threads';
import * as tfc from '@tensorflow/tfjs-core';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { runJob } from './product-jobs.ts';
import type { ProductJob } from './product-jobs.ts';

async function wasmBackend(): Promise<void> {
  const require = createRequire(import.meta.url);
  setWasmPaths(join(dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist') + '/');
  if (!(await tfc.setBackend('wasm'))) throw new Error('the wasm backend did not initialise');
  await tfc.ready();
}

const port = parentPort;
if (port) {
  const ready = wasmBackend();
  port.on('message', async (msg: { id: number; job: ProductJob }) => {
    try {
      await ready;
      const result = runJob(tfc, msg.job);
      if (result) port.postMessage({ id: msg.id, result }, [result.buffer as ArrayBuffer]);
      else port.postMessage({ id: msg.id });
    } catch (e) {
      port.postMessage({ id: msg.id, error: (e as Error).message });
    }
  });
}
