/**
 * A reusable barrier for K worker threads over a SharedArrayBuffer of
 * BARRIER_INTS Int32 slots: [arrived, generation, aborted]. The last thread
 * to arrive resets the count and bumps the generation; the others sleep on
 * the generation with Atomics.wait. `abort` wakes every waiter, which then
 * throws, so one failing worker never leaves the others blocked.
 */
export const BARRIER_INTS = 3;
const ARRIVED = 0;
const GENERATION = 1;
const ABORTED = 2;

export class BarrierAborted extends Error {
  constructor() {
    super('another worker failed');
  }
}

export function barrierWait(control: Int32Array, parties: number): void {
  const generation = Atomics.load(control, GENERATION);
  if (Atomics.load(control, ABORTED) !== 0) throw new BarrierAborted();
  if (Atomics.add(control, ARRIVED, 1) === parties - 1) {
    Atomics.store(control, ARRIVED, 0);
    Atomics.add(control, GENERATION, 1);
    Atomics.notify(control, GENERATION);
    return;
  }
  while (Atomics.load(control, GENERATION) === generation) {
    Atomics.wait(control, GENERATION, generation, 1000);
    if (Atomics.load(control, ABORTED) !== 0) throw new BarrierAborted();
  }
}

export function barrierAbort(control: Int32Array): void {
  Atomics.store(control, ABORTED, 1);
  Atomics.add(control, GENERATION, 1);
  Atomics.notify(control, GENERATION);
}
