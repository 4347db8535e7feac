import type { TopLevelSpec } from 'vega-lite';
import type { GeodesicAnalysis } from '../geodesic-analysis.ts';
import { plural } from '../plural.ts';

const fmt = (v: number) => (Number.isFinite(v) ? v.toFixed(3) : 'n/a');

/**
 * Similarity (or kernel distance) against geodesic distance, one panel per
 * analysis: every pair as a point, binned means with ±1 sd bars on top.
 */
export function geodesicScatterSpec(title: string, analyses: GeodesicAnalysis[]): TopLevelSpec {
  const panels = analyses.map((a) => {
    const bins = a.bins.filter((b) => b.count > 0).map((b) => ({ center: b.center, mean: b.mean, lo: b.mean - b.sd, hi: b.mean + b.sd }));
    const x = { field: 'geodesic', type: 'quantitative' as const, title: 'geodesic distance' };
    return {
      title: { text: `${a.measure} (${a.source})`, subtitle: `Pearson ${fmt(a.pearson)}, Spearman ${fmt(a.spearman)}, ${plural(a.pairs, 'pair')}` },
      width: 300,
      height: 220,
      layer: [
        {
          data: { values: a.scatter },
          // Small squares as rect marks: a third of the SVG of symbol marks for thousands of pairs.
          mark: { type: 'rect' as const, width: 2.5, height: 2.5, opacity: 0.35, color: '#4c78a8' },
          encoding: { x, y: { field: 'value', type: 'quantitative' as const, title: a.measure } },
        },
        {
          data: { values: bins },
          mark: { type: 'rule' as const, color: '#e45756', strokeWidth: 1.5 },
          encoding: { x: { ...x, field: 'center' }, y: { field: 'lo', type: 'quantitative' as const }, y2: { field: 'hi' } },
        },
        {
          data: { values: bins },
          mark: { type: 'line' as const, color: '#e45756', point: { color: '#e45756' } },
          encoding: { x: { ...x, field: 'center' }, y: { field: 'mean', type: 'quantitative' as const } },
        },
      ],
    };
  });
  return { title, hconcat: panels } as TopLevelSpec;
}
