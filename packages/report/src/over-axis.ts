import { shortMethodLabel } from './labels.ts';
import type { MatrixCombo } from './matrix-table.ts';

/** One point of a metric against a numeric axis: the axis value, the panel (the other axes' labels) and the series. */
export interface OverAxisPoint {
  x: number;
  panel: string;
  series: string;
  value: number;
  sd?: number;
}

/** The data of the figure "metrics against a numeric axis" (e.g. epoch): clustering accuracy per method, elasticity ratio per similarity. */
export interface OverAxisData {
  axis: string;
  accuracy: OverAxisPoint[];
  ratio: OverAxisPoint[];
}

/**
 * The first axis whose labels are all plain non-negative integers and that
 * has at least three values (an epoch or width axis), or undefined.
 */
export function numericAxis(axes: string[], combos: MatrixCombo[]): string | undefined {
  return axes.find((axis) => {
    const labels = new Set(combos.map((c) => c.labels[axis]));
    return labels.size >= 3 && [...labels].every((l) => /^\d+$/.test(l));
  });
}

/**
 * The points of every combination against `axis`: each run's clustering
 * accuracy (mean and sd over clustering seeds) per method, and its
 * elasticity ratio per similarity (where the report computed one); the
 * panel names the run's labels on the other axes. Sorted by panel, series, x.
 */
export function overAxisData(axis: string, axes: string[], combos: MatrixCombo[]): OverAxisData {
  const others = axes.filter((a) => a !== axis);
  const accuracy: OverAxisPoint[] = [];
  const ratio: OverAxisPoint[] = [];
  for (const c of combos) {
    const x = Number(c.labels[axis]);
    const panel = others.map((a) => `${a}=${c.labels[a]}`).join(', ') || 'all';
    for (const r of c.results.results) accuracy.push({ x, panel, series: shortMethodLabel(r.input, r.method), value: r.accuracy.mean, sd: r.accuracy.sd });
    for (const e of c.results.elasticity ?? []) if (e.ratio !== null) ratio.push({ x, panel, series: e.source, value: e.ratio });
  }
  const order = (a: OverAxisPoint, b: OverAxisPoint) => a.panel.localeCompare(b.panel) || a.series.localeCompare(b.series) || a.x - b.x;
  return { axis, accuracy: accuracy.sort(order), ratio: ratio.sort(order) };
}
