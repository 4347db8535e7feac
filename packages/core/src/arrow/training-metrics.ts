import { TRAINING_METRICS_CONTRACT } from './contract.ts';
import { readContractFile, writeContractFile } from './table-io.ts';
import type { StageMeta } from './metadata.ts';

/**
 * One epoch of training as metrics.arrow keeps it: only values that follow
 * from the stage's inputs, so the same training gives the same bytes (wall
 * times go to the stage's timings file, see runStage).
 */
export interface EpochRecord {
  epoch: number;
  loss: number;
  trainAccuracy: number;
  /** NaN is not allowed in files: use -1 when there is no held-out split. */
  testAccuracy: number;
}

export async function writeTrainingMetricsFile(file: string, records: EpochRecord[], meta: Omit<StageMeta, 'schemaVersion'>): Promise<void> {
  await writeContractFile(file, TRAINING_METRICS_CONTRACT, {
    epoch: Int32Array.from(records, (r) => r.epoch),
    loss: Float64Array.from(records, (r) => r.loss),
    train_accuracy: Float64Array.from(records, (r) => r.trainAccuracy),
    test_accuracy: Float64Array.from(records, (r) => r.testAccuracy),
  }, meta);
}

export async function readTrainingMetricsFile(file: string): Promise<{ records: EpochRecord[]; meta: StageMeta }> {
  const t = await readContractFile(file, TRAINING_METRICS_CONTRACT);
  const c = t.columns as Record<string, Float64Array>;
  const records = Array.from({ length: t.rows }, (_, i) => ({
    epoch: (t.columns.epoch as Int32Array)[i], loss: c.loss[i], trainAccuracy: c.train_accuracy[i], testAccuracy: c.test_accuracy[i],
  }));
  return { records, meta: t.meta };
}
