import { ElasticityError } from '@elasticity/core';

/** A fixed step size, or the authors' search ('authors'). */
export type EtaSetting = number | 'authors';

export const AUTHORS_ETA_START = 1e-6;
export const AUTHORS_ETA_FACTOR = 3;
/** 1e-6 * 3^40 is about 1.2e13: far past any useful step; stop there. */
export const AUTHORS_ETA_MAX_TRIES = 40;

/**
 * The authors' schedule: eta = 1e-6, multiplied by 3 until the float32
 * change at the probed example, delta_i(x_i) as the difference of two
 * float32 outputs, is not 0. `selfDelta32(eta)` gives that difference. The
 * search only exists because a float32 difference of two nearly equal
 * outputs can be 0; it is kept to reproduce the paper.
 */
export async function authorsEta(selfDelta32: (eta: number) => number | Promise<number>, where: { file?: string; field?: string } = {}): Promise<number> {
  let eta = AUTHORS_ETA_START;
  for (let t = 0; t < AUTHORS_ETA_MAX_TRIES; t++) {
    const change = await selfDelta32(eta);
    if (Number.isNaN(change)) break;
    if (change !== 0) return eta;
    eta *= AUTHORS_ETA_FACTOR;
  }
  throw new ElasticityError(
    `the authors' eta search found no step (up to ${eta.toExponential(1)}) that changes the output in float32; the loss gradient is 0 or not finite`,
    where,
  );
}

/**
 * The difference of two float32 outputs, fl32(output + change) - fl32(output),
 * for an output and its exact change: what the authors' search tests, from
 * the change a fast probe computes without cancellation.
 */
export function float32Change(output: number, change: number): number {
  return Math.fround(output + change) - Math.fround(output);
}

/**
 * eta for one probe of the fast paths: the fixed value, or the authors'
 * search on the exact change at the probed example, `selfChange(eta)` =
 * f(x_i; w+) - f(x_i; w), whose output f(x_i; w) is `output`.
 */
export async function chooseEta(
  setting: EtaSetting, output: number, selfChange: (eta: number) => number | Promise<number>, where: { file?: string; field?: string } = {},
): Promise<number> {
  if (setting !== 'authors') return setting;
  return authorsEta(async (eta) => float32Change(output, await selfChange(eta)), where);
}
