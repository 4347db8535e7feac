import { createRng } from '@elasticity/core';

/**
 * `count` seeds derived from one seed with core's seeded RNG: the seeds of
 * the restarts of one clustering, or of the repeated clusterings of a run.
 */
export function deriveSeeds(seed: number, count: number): number[] {
  const rng = createRng(seed);
  return Array.from({ length: count }, () => rng.int(1, 0x7fffffff));
}
