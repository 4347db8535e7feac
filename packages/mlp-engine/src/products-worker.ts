/**
 * Worker thread of the float32 product pool (products.ts): runs one
 * ProductJob per message with the float32 kernel the message names
 * (float32-kernel.ts), writing into the job's shared outputs, and answers
 * { id } (or { id, result }, or { id, error }).
 *
 * The TensorFlow.js kernel loads only tfjs-core and the wasm backend (what
 * @tensorflow/tfjs and @tensorflow/tfjs-backend-wasm are built on), not the
 * whole of @tensorflow/tfjs, and only when a job asks for it: with ONNX
 * Runtime a worker loads no TensorFlow.js at all.
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { parentPort } from 'node:worker_threads';
import { float32Kernel, releaseFloat32Kernels } from './float32-kernel.ts';
import type { KernelChoice, MatMulBackend } from './float32-kernel.ts';
import { runJob } from './product-jobs.ts';
import type { ProductJob } from './product-jobs.ts';

async function wasmBackend(): Promise<MatMulBackend> {
  const tfc = await import('@tensorflow/tfjs-core');
  const { setWasmPaths } = await import('@tensorflow/tfjs-backend-wasm');
  const require = createRequire(import.meta.url);
  setWasmPaths(join(dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist') + '/');
  if (!(await tfc.setBackend('wasm'))) throw new Error('the wasm backend did not initialise');
  await tfc.ready();
  return tfc;
}

const port = parentPort;
if (port) {
  // the default kernel loads while the main thread prepares the first job
  void float32Kernel('auto', wasmBackend).catch(() => undefined);
  port.on('message', async (msg: { id: number; job: ProductJob; kernel: KernelChoice } | { close: true }) => {
    if ('close' in msg) {
      // the pool is shutting down (products.ts): no job is running; end with no kernel half made
      await releaseFloat32Kernels().catch(() => undefined);
      port.close();
      return;
    }
    try {
      const { kernel } = await float32Kernel(msg.kernel, wasmBackend);
      const result = await runJob(kernel, msg.job);
      if (result) port.postMessage({ id: msg.id, result }, [result.buffer as ArrayBuffer]);
      else port.postMessage({ id: msg.id });
    } catch (e) {
      port.postMessage({ id: msg.id, error: (e as Error).message });
    }
  });
}
