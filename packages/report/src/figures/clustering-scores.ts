import type { TopLevelSpec } from 'vega-lite';
import type { Summary } from '@elasticity/core';

/** One clustering method's three scores over the clustering seeds. */
export interface MethodScores {
  method: string;
  accuracy: Summary;
  ARI: Summary;
  NMI: Summary;
}

export const SCORE_METRICS = ['accuracy', 'ARI', 'NMI'] as const;
export type ScoreMetric = (typeof SCORE_METRICS)[number];

const fmt = (v: number) => v.toFixed(3);

/**
 * Accuracy, ARI and NMI of every method, one panel per score with its own
 * scale (accuracy sits near 0.5-1, ARI and NMI can be near 0.01): the mean
 * as a dot, ±1 sd as a bar, each seed as a grey tick, and a dashed red line
 * at the chance level where one is given (`chance[metric]`).
 */
export function clusteringScoresSpec(title: string, methods: MethodScores[], chance: Partial<Record<ScoreMetric, number>>): TopLevelSpec {
  const order = methods.map((m) => m.method);
  const panels = SCORE_METRICS.map((metric, k) => {
    const means = methods.map((m) => ({ method: m.method, mean: m[metric].mean, lo: m[metric].mean - m[metric].sd, hi: m[metric].mean + m[metric].sd }));
    const seeds = methods.flatMap((m) => m[metric].values.map((value) => ({ method: m.method, value })));
    const x = { type: 'quantitative' as const, title: metric, scale: { zero: false, nice: true, padding: 8 } };
    const y = { field: 'method', type: 'nominal' as const, sort: order, title: null, axis: k === 0 ? { labelLimit: 1000 } : null };
    const line = chance[metric];
    return {
      width: 200,
      height: { step: 26 },
      layer: [
        ...(line === undefined ? [] : [
          { data: { values: [{ chance: line }] }, mark: { type: 'rule' as const, color: '#e45756', strokeDash: [5, 4], strokeWidth: 1.5 }, encoding: { x: { ...x, field: 'chance' } } },
          {
            data: { values: [{ chance: line, label: `chance ${fmt(line)}` }] },
            mark: { type: 'text' as const, color: '#e45756', align: 'left' as const, baseline: 'bottom' as const, dx: 3, y: 0, dy: -2, fontSize: 10 },
            encoding: { x: { ...x, field: 'chance' }, text: { field: 'label' } },
          },
        ]),
        { data: { values: seeds }, mark: { type: 'tick' as const, color: '#999', thickness: 1, size: 12 }, encoding: { x: { ...x, field: 'value' }, y } },
        { data: { values: means }, mark: { type: 'rule' as const, color: 'black', strokeWidth: 1.5 }, encoding: { x: { ...x, field: 'lo' }, x2: { field: 'hi' }, y } },
        { data: { values: means }, mark: { type: 'point' as const, filled: true, size: 60, color: '#4c78a8', opacity: 1 }, encoding: { x: { ...x, field: 'mean' }, y } },
      ],
    };
  });
  return { title, hconcat: panels, spacing: 24 } as TopLevelSpec;
}
