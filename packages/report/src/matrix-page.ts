import { renderSvg } from './figures/render-svg.ts';
import { barsWithErrorsSpec } from './figures/cluster-bars.ts';
import { htmlTable } from './html.ts';
import { markdownTable } from './table.ts';
import { matrixRowLabel, matrixTableCaption, matrixTableRows } from './matrix-table-format.ts';
import type { MatrixCombo, MatrixTable } from './matrix-table.ts';

/** The matrix table as an HTML table with its caption. */
export function matrixTableHtml(id: string, table: MatrixTable): string {
  const { header, rows } = matrixTableRows(table);
  return htmlTable(id, matrixTableCaption(table), header, rows);
}

/** Grouped bars of the table: one group per column, one bar per row, ±1 sd; undefined for a table without cells. */
export async function matrixBarsSvg(title: string, table: MatrixTable): Promise<string | undefined> {
  const values = table.rows.flatMap((r) => r.cells.flatMap((c, k) => (c ? [{ group: table.columns[k].label, series: matrixRowLabel(r, table), mean: c.mean, sd: c.sd }] : [])));
  if (values.length === 0) return undefined;
  return renderSvg(barsWithErrorsSpec(title, values, 'accuracy'));
}

const num = (v: number | undefined, digits: number) => (v !== undefined && Number.isFinite(v) ? v.toFixed(digits) : '–');

export const RUN_HEADER = ['run', 'labels', 'model', 'train accuracy', 'test accuracy', 'training time', 'backend'];

/** One line per run: id, labels, model, training and held-out accuracy, training seconds (from the timings files, when present), backend. */
export function matrixRunRows(combos: MatrixCombo[], trainingSeconds: (number | undefined)[] = []): string[][] {
  return combos.map((c, i) => {
    const t = c.results.training;
    return [
      c.id, Object.entries(c.labels).map(([a, l]) => `${a}=${l}`).join(', '), t?.model ?? '–', num(t?.trainAccuracy, 4),
      t && t.testAccuracy >= 0 ? num(t.testAccuracy, 4) : '–', trainingSeconds[i] !== undefined ? `${num(trainingSeconds[i], 1)} s` : '–', t ? String(t.backend) : '–',
    ];
  });
}

export function matrixRunsMarkdown(combos: MatrixCombo[], trainingSeconds: (number | undefined)[] = []): string {
  return markdownTable(RUN_HEADER, matrixRunRows(combos, trainingSeconds));
}
