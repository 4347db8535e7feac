import type { TopLevelSpec } from 'vega-lite';
import type { EpochRecord } from '@elasticity/core';

/** At most `max` records, evenly spaced, always keeping the first and the last. */
export function thinRecords(records: EpochRecord[], max = 400): EpochRecord[] {
  if (records.length <= max) return records;
  const step = (records.length - 1) / (max - 1);
  return Array.from({ length: max }, (_, k) => records[Math.round(k * step)]);
}

/** Training loss (log scale) and accuracy per epoch. */
export function trainingCurvesSpec(title: string, records: EpochRecord[]): TopLevelSpec {
  const thin = thinRecords(records);
  const loss = thin.map((r) => ({ epoch: r.epoch, loss: r.loss }));
  const accuracy = thin.flatMap((r) => [
    { epoch: r.epoch, split: 'train', accuracy: r.trainAccuracy },
    ...(r.testAccuracy >= 0 ? [{ epoch: r.epoch, split: 'held out', accuracy: r.testAccuracy }] : []),
  ]);
  const positive = loss.every((r) => r.loss > 0);
  const x = { field: 'epoch', type: 'quantitative' as const };
  return {
    title,
    hconcat: [
      {
        width: 280, height: 180, data: { values: loss }, mark: { type: 'line', color: '#4c78a8' },
        encoding: { x, y: { field: 'loss', type: 'quantitative', scale: positive ? { type: 'log' } : {}, title: 'training loss' } },
      },
      {
        width: 280, height: 180, data: { values: accuracy }, mark: { type: 'line' },
        encoding: { x, y: { field: 'accuracy', type: 'quantitative', scale: { domain: [0, 1] } }, color: { field: 'split', type: 'nominal' } },
      },
    ],
  } as TopLevelSpec;
}
