import { Worker } from 'node:worker_threads';

/**
 * apache-arrow trusts the offsets inside a file: some corrupt files make it
 * loop (practically) forever. Every decode is therefore tried first in a
 * worker thread with a time limit; only bytes that decode there in time are
 * decoded again in the caller's thread. One worker serves the process and is
 * replaced after a timeout.
 */
interface Guard {
  worker: Worker;
  pending: Map<number, (result: { ok?: boolean; error?: string }) => void>;
  /** Resolves when the worker has loaded apache-arrow: time limits start then, not while it boots. */
  ready: Promise<void>;
}

let current: Guard | undefined;
let nextId = 0;

function getGuard(): Guard {
  if (current) return current;
  const worker = new Worker(new URL('./decode-guard.worker.mjs', import.meta.url), { execArgv: [], resourceLimits: { maxOldGenerationSizeMb: 512 } });
  let markReady = () => {};
  const guard: Guard = { worker, pending: new Map(), ready: new Promise((resolve) => { markReady = resolve; }) };
  worker.on('message', (m: { id: number; ok?: boolean; error?: string; ready?: boolean }) => {
    if (m.ready) return markReady();
    guard.pending.get(m.id)?.(m);
    guard.pending.delete(m.id);
  });
  const fail = (error: unknown) => {
    for (const resolve of guard.pending.values()) resolve({ error: `decoder stopped (${(error as Error)?.message ?? error})` });
    guard.pending.clear();
    if (current === guard) current = undefined;
  };
  worker.on('error', fail);
  worker.on('exit', (code) => fail(`exit ${code}`));
  worker.unref(); // after the listeners: attaching a 'message' listener refs the worker again
  current = guard;
  return guard;
}

/** Time allowed to decode: generous for real files (tens of ms per MB), short for tiny corrupt ones. */
export function decodeTimeLimitMs(byteLength: number): number {
  return 1000 + (byteLength / 1e6) * 500;
}

/** Resolves to undefined when the bytes decode, or to the reason they do not (error text or "timeout"). */
export function tryDecodeInWorker(bytes: Uint8Array, limitMs = decodeTimeLimitMs(bytes.byteLength)): Promise<string | undefined> {
  const guard = getGuard();
  const id = nextId++;
  return new Promise((resolve) => {
    // Holds the process open until the answer (the worker is unref'd); replaced by the limit once the worker is ready.
    let timer = setTimeout(() => {}, 2 ** 31 - 1);
    guard.pending.set(id, (m) => {
      clearTimeout(timer);
      resolve(m.ok ? undefined : m.error ?? 'unknown decode error');
    });
    // The limit is on decoding: a worker still booting (seconds on a loaded machine) does not count.
    void guard.ready.then(() => {
      if (!guard.pending.has(id)) return; // the worker stopped meanwhile: already answered
      clearTimeout(timer);
      timer = setTimeout(() => {
        guard.pending.delete(id);
        if (current === guard) current = undefined;
        void guard.worker.terminate();
        resolve('timeout');
      }, limitMs);
      guard.worker.postMessage({ id, bytes });
    });
  });
}
