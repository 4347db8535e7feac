import type { TopLevelSpec } from 'vega-lite';

export interface BarValue {
  /** Bar group (x axis): a method. */
  group: string;
  /** Bar within the group (colour): a metric or a pipeline. */
  series: string;
  mean: number;
  sd: number;
}

/** Grouped bars of means with ±1 sd error bars. */
export function barsWithErrorsSpec(title: string, values: BarValue[], yTitle: string): TopLevelSpec {
  const data = values.map((v) => ({ ...v, lo: v.mean - v.sd, hi: v.mean + v.sd }));
  // Groups and series in the order given; vega estimates text widths without a canvas, hence generous label limits.
  const x = { field: 'group', type: 'nominal' as const, title: null, sort: null, axis: { labelAngle: -30, labelLimit: 1000 } };
  const offset = { field: 'series', type: 'nominal' as const, sort: null };
  return {
    title,
    data: { values: data },
    width: { step: Math.max(14, 90 / Math.max(1, new Set(values.map((v) => v.series)).size)) },
    height: 220,
    layer: [
      { mark: { type: 'bar' }, encoding: { x, xOffset: offset, y: { field: 'mean', type: 'quantitative', title: yTitle }, color: { ...offset, title: null, legend: { labelLimit: 420 } } } },
      { mark: { type: 'rule', color: 'black' }, encoding: { x, xOffset: offset, y: { field: 'lo', type: 'quantitative' }, y2: { field: 'hi' } } },
    ],
  } as TopLevelSpec;
}
