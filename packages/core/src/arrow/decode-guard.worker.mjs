// Decodes Arrow IPC bytes in a worker thread so that a corrupt file that
// sends apache-arrow into an endless loop can be stopped (see decode-guard.ts).
import { parentPort } from 'node:worker_threads';
import { tableFromIPC } from 'apache-arrow';

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
