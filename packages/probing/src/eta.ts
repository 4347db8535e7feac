import { ElasticityError } from '@elasticity/core';

/** A fixed step size, or the authors' search ('authors'). */
export type EtaSetting = number | 'authors';

export const AUTHORS_ETA_START = 1e-6;
export const AUTHORS_ETA_FACTOR = 3;
/**
 * The authors' code tries steps while they are below 10000: 1e-6 * 3^k for
 * k = 0..20, the last 3486.8 (21 tries). Past it a step can reverse the
 * change of a saturated output through the second-order terms (at 5e9 on a
 * linear BCE net) and be "found": a step no probe should take.
 */
export const AUTHORS_ETA_LIMIT = 1e4;

/**
 * The authors' schedule: eta = 1e-6, multiplied by 3 until the float32
 * change at the probed example, delta_i(x_i) as the difference of two
 * float32 outputs, is not 0. `selfDelta32(eta)` gives that difference. The
 * search only exists because a float32 difference of two nearly equal
 * outputs can be 0; it is kept to reproduce the paper.
 */
export async function authorsEta(selfDelta32: (eta: number) => number | Promise<number>, where: { file?: string; field?: string } = {}): Promise<number> {
  let eta = AUTHORS_ETA_START;
  for (; eta < AUTHORS_ETA_LIMIT; eta *= AUTHORS_ETA_FACTOR) {
    const change = await selfDelta32(eta);
    if (Number.isNaN(change)) break;
    if (change !== 0) return eta;
  }
  throw new ElasticityError(
    `the authors' eta search found no step (1e-6 times 3 below ${AUTHORS_ETA_LIMIT}) that changes the output in float32; the loss gradient is 0 or not finite`,
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
 * Whether an output is exactly 1 or 0 in float32: a sigmoid output there has
 * no usable loss gradient in a float32 framework (p (1 - p) is 0).
 */
export function saturatedInFloat32(output: number): boolean {
  const rounded = Math.fround(output);
  return rounded === 1 || rounded === 0;
}

/** A row's step size, and whether it is the fallback for a change no step of the schedule shows in float32. */
export interface ChosenEta {
  eta: number;
  /** The search found no step, but the exact change is not 0: the row took AUTHORS_ETA_START. */
  invisible: boolean;
}

/**
 * eta for one probe of the fast paths: the fixed value, or the authors'
 * search on the exact change at the probed example, `selfChange(eta)` =
 * f(x_i; w+) - f(x_i; w), whose output f(x_i; w) is `output`.
 *
 * A row whose output sits within float32's resolution of where the step
 * pushes it (a sigmoid output of 1 - 4e-9 on a class-1 example: its float32
 * value is 1, and no step moves it past 1) shows no change at any step of the
 * schedule; the authors' code stops there at an assertion. The fast paths
 * compute the change exactly, so such a row takes the schedule's first step,
 * AUTHORS_ETA_START, and is marked `invisible`. A row whose exact change is
 * 0 or not finite (a zero gradient) stays an error.
 */
export async function chooseEta(
  setting: EtaSetting, output: number, selfChange: (eta: number) => number | Promise<number>, where: { file?: string; field?: string } = {},
): Promise<ChosenEta> {
  if (setting !== 'authors') return { eta: setting, invisible: false };
  try {
    return { eta: await authorsEta(async (eta) => float32Change(output, await selfChange(eta)), where), invisible: false };
  } catch (error) {
    const exact = await selfChange(AUTHORS_ETA_START);
    if (error instanceof ElasticityError && exact !== 0 && Number.isFinite(exact)) return { eta: AUTHORS_ETA_START, invisible: true };
    throw error;
  }
}
