import { ElasticityError } from '@elasticity/core';

/** A fixed step size, or the authors' search ('authors'). */
export type EtaSetting = number | 'authors';

export const AUTHORS_ETA_START = 1e-6;
export const AUTHORS_ETA_FACTOR = 3;
/** 1e-6 * 3^40 is about 1.2e13: far past any useful step; stop there. */
export const AUTHORS_ETA_MAX_TRIES = 40;

/**
 * The authors' schedule: eta = 1e-6, multiplied by 3 until the float32
 * forward difference delta_i(x_i) = f32(x_i; w+) - f32(x_i; w) is not 0.
 * `selfDelta32(eta)` must compute that float32 difference. The search only
 * exists because a float32 difference of two nearly equal outputs can be 0;
 * it is kept to reproduce the paper.
 */
export function authorsEta(selfDelta32: (eta: number) => number, where: { file?: string; field?: string } = {}): number {
  let eta = AUTHORS_ETA_START;
  for (let t = 0; t < AUTHORS_ETA_MAX_TRIES; t++) {
    const change = selfDelta32(eta);
    if (Number.isNaN(change)) break;
    if (change !== 0) return eta;
    eta *= AUTHORS_ETA_FACTOR;
  }
  throw new ElasticityError(
    `the authors' eta search found no step (up to ${eta.toExponential(1)}) that changes the output in float32; the loss gradient is 0 or not finite`,
    where,
  );
}

/** eta for one probe: the fixed value, or the authors' search. */
export function chooseEta(setting: EtaSetting, selfDelta32: () => (eta: number) => number, where: { file?: string; field?: string } = {}): number {
  return setting === 'authors' ? authorsEta(selfDelta32(), where) : setting;
}
