import { setFlagsFromString } from 'node:v8';

/**
 * V8 flags for processes that train on worker threads.
 *
 * --no-turbo-inlining: with TurboFan inlining on, two training workers
 * run at the expected speed for about six epochs and then, once V8 has
 * optimized TensorFlow.js's kernel dispatch with inlining, about 40%
 * slower for the rest of the run: the time goes into the wasm matmul
 * kernels themselves (CPU profiles), not into JavaScript, and it does
 * not happen with one worker. Measured on the 2-core VM of
 * tools/bench/training.ts (MLPNet, width 4096, 2 workers, s/epoch):
 * epochs 2-6 0.39-0.44, epochs 7-16 0.50-0.66 with inlining; 0.36-0.41
 * throughout without it (also with --no-opt). The cause inside V8 is
 * not known; the per-step JavaScript is a few percent of a step, so
 * giving up inlining costs nothing measurable. V8 flags are per
 * process, so this also applies to the main thread from here on.
 */
export function setWorkerV8Flags(): void {
  setFlagsFromString('--no-turbo-inlining');
}
