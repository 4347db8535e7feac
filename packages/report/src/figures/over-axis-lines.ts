import type { TopLevelSpec } from 'vega-lite';
import type { OverAxisData, OverAxisPoint } from '../over-axis.ts';

/** One row of panels: `y` against the axis, a line per series, one panel per value of the other axes (e.g. ReLU and linear side by side). */
function panelRow(points: OverAxisPoint[], axis: string, y: string, scale: Record<string, unknown>, rule?: number): Record<string, unknown> {
  const x = { field: 'x', type: 'quantitative', title: axis };
  const layers: Record<string, unknown>[] = [
    {
      mark: { type: 'line', point: true },
      encoding: { x, y: { field: 'value', type: 'quantitative', title: y, scale }, color: { field: 'series', type: 'nominal', title: null, legend: { labelLimit: 320 } } },
    },
  ];
  if (rule !== undefined) layers.push({ mark: { type: 'rule', strokeDash: [4, 4], color: '#888' }, encoding: { y: { datum: rule } } });
  return {
    data: { values: points },
    facet: { column: { field: 'panel', type: 'nominal', title: null } },
    spec: { width: 240, height: 170, layer: layers },
  };
}

/**
 * Clustering accuracy (top, 0-1) and elasticity ratio (bottom, with a
 * dashed line at 1: no preference for the own class) against a numeric axis
 * of a matrix, e.g. the epoch of the checkpoint probed.
 */
export function overAxisSpec(title: string, data: OverAxisData): TopLevelSpec {
  const rows = [panelRow(data.accuracy, data.axis, 'clustering accuracy', { domain: [0, 1] })];
  if (data.ratio.length > 0) rows.push(panelRow(data.ratio, data.axis, 'elasticity ratio', { zero: false }, 1));
  return { title, vconcat: rows, resolve: { scale: { color: 'independent' } } } as unknown as TopLevelSpec;
}
