import { join } from 'node:path';
import { z } from 'zod';

/**
 * Which weights of a train stage's output a stage reads: 'trained' (model/,
 * after the last epoch), 'init' (init/, before the first) or 'epoch-K' (the
 * checkpoint after epoch K, checkpoints/epoch-K/, which the train section
 * must save: train.checkpoints or train.checkpointEvery).
 */
export type ModelFrom = 'trained' | 'init' | `epoch-${number}`;

/** The folder of the train output holding the checkpoint after `epoch`. */
export function checkpointFolder(epoch: number): string {
  return join('checkpoints', `epoch-${epoch}`);
}

/** The folder, inside a train stage's output, of the weights `from` names. */
export function modelFromFolder(from: ModelFrom): string {
  if (from === 'trained') return 'model';
  if (from === 'init') return 'init';
  return checkpointFolder(checkpointEpoch(from)!);
}

/** K of 'epoch-K'; undefined for 'trained' and 'init'. */
export function checkpointEpoch(from: ModelFrom): number | undefined {
  const match = /^epoch-(\d+)$/.exec(from);
  return match ? Number(match[1]) : undefined;
}

/** The `from` key of the probe and ntk sections. */
export const MODEL_FROM_SCHEMA = z.string().refine((v) => v === 'trained' || v === 'init' || /^epoch-(0|[1-9]\d{0,6})$/.test(v), {
  error: (iss) => `must be "trained", "init" or "epoch-K" (the checkpoint after epoch K, which train.checkpoints saves), got ${JSON.stringify(iss.input)}`,
}).transform((v) => v as ModelFrom);
