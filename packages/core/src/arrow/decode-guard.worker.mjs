// Decodes Arrow IPC bytes in a worker thread so that a corrupt file that
// sends apache-arrow into an endless loop can be stopped (see decode-guard.ts).
import { createRequire } from 'node:module';
import { parentPort } from 'node:worker_threads';

// The CommonJS build, as in the calling thread (apache-arrow.d.cts): it loads in
// about half the CPU time, and every first read of an Arrow file waits for it.
const { tableFromIPC } = createRequire(import.meta.url)('apache-arrow');

parentPort.on('message', ({ id, bytes }) => {
  try {
    const table = tableFromIPC(bytes);
    let columns = 0;
    for (const batch of table.batches) for (const child of batch.data.children) columns += child.values === undefined ? 0 : 1;
    parentPort.postMessage({ id, ok: true, columns });
  } catch (error) {
    parentPort.postMessage({ id, error: String(error?.message ?? error) });
  }
});

parentPort.postMessage({ ready: true });
