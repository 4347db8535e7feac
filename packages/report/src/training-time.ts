import { dirname } from 'node:path';
import { readStageTimings } from '@elasticity/core';
import type { PipelineResults } from './pipeline-results.ts';

/**
 * Wall-clock training seconds of the run behind a pipeline's results, from
 * the train stage's timings file (beside its output folder, found through the
 * provenance of train/metrics.arrow); undefined when there is none (no
 * training, or outputs restored from the Nx cache on another machine).
 * Never part of results.json: only the cross-pipeline and matrix pages show it.
 */
export async function readTrainingSeconds(results: PipelineResults): Promise<number | undefined> {
  const metrics = results.metadata?.files.find((f) => f.stage === 'train');
  if (!metrics) return undefined;
  const seconds = (await readStageTimings(dirname(metrics.file)))?.trainingSeconds;
  return typeof seconds === 'number' && Number.isFinite(seconds) ? seconds : undefined;
}
