import { shortMethodLabel } from './labels.ts';
import { formatCell } from './table1.ts';
import { formatTextTable, markdownTable } from './table.ts';
import type { MatrixCell, MatrixRow, MatrixTable } from './matrix-table.ts';
import { plural } from './plural.ts';
import { tInterval95 } from './stats/t-interval.ts';

export interface MatrixFormatOptions {
  /**
   * After each cell averaged over two or more runs of the over axis (e.g.
   * training seeds): the 95% t-interval of its mean, "[0.887, 0.937]".
   */
  interval?: boolean;
}

/**
 * "0.912 ± 0.010"; with `interval`, the 95% t-interval after a cell over
 * two or more runs ("0.912 ± 0.010 [0.887, 0.937]"); "(n=2)" last when
 * fewer runs than the over axis has values filled the cell.
 */
export function formatMatrixCell(cell: MatrixCell | undefined, table: Pick<MatrixTable, 'over' | 'n'>, options: MatrixFormatOptions = {}): string {
  const text = formatCell(cell, 3);
  if (!cell || !table.over) return text;
  // n > 1: the values are the runs' means (n = 1: that run's clustering seeds, not runs).
  const ci = options.interval && cell.n > 1 ? tInterval95(cell.values) : undefined;
  return `${text}${ci ? ` [${ci.low.toFixed(3)}, ${ci.high.toFixed(3)}]` : ''}${cell.n !== table.n ? ` (n=${cell.n})` : ''}`;
}

/** A row's name: its labels on the row axes ("5v8", "5v8 · relu-mse"), or "all" without row axes. */
export function matrixRowLabel(row: MatrixRow, table: Pick<MatrixTable, 'rowAxes'>): string {
  return table.rowAxes.map((a) => row.labels[a]).join(' · ') || 'all';
}

/** What the cells are: over which runs or seeds, and the axes held at one label. */
export function matrixTableCaption(table: MatrixTable, options: MatrixFormatOptions = {}): string {
  const interval = options.interval ? ', [low, high] the 95% t-interval of that mean' : '';
  const cells = table.over
    ? `mean ± sd over the ${plural(table.n, 'value')} of ${table.over} of each run's mean over its clustering seeds${interval} ("(n=k)": only k runs)`
    : 'mean ± sd over the clustering seeds';
  const fixed = Object.entries(table.fixed).map(([a, l]) => `${a}=${l}`).join(', ');
  return `Clustering accuracy of the primary pair, ${cells}${fixed ? `; fixed: ${fixed}` : ''}.`;
}

/** Header and rows shared by the Markdown and HTML tables: row labels, data set, then the columns. */
export function matrixTableRows(table: MatrixTable, options: MatrixFormatOptions = {}): { header: string[]; rows: string[][] } {
  return {
    header: [table.rowAxes.join(' · ') || 'runs', 'data set', ...table.columns.map((c) => c.label)],
    rows: table.rows.map((r) => [matrixRowLabel(r, table), r.dataset, ...r.cells.map((c) => formatMatrixCell(c, table, options))]),
  };
}

/**
 * The table for the terminal: one row per row-axis label tuple; short
 * method headers ("relative · K-means"), under a header line with the
 * column-axis labels ("relu-mse") when the model columns are split by axes.
 */
export function formatMatrixTable(table: MatrixTable, options: MatrixFormatOptions = {}): string {
  const corner = table.rowAxes.join(' · ') || 'runs';
  const rows = table.rows.map((r) => [matrixRowLabel(r, table), ...r.cells.map((c) => formatMatrixCell(c, table, options))]);
  const methods = [corner, ...table.columns.map((c) => shortMethodLabel(c.input, c.method))];
  const headers = table.columnAxes.length > 0
    ? [['', ...table.columns.map((c) => table.columnAxes.map((a) => c.labels[a]).filter(Boolean).join(', '))], methods]
    : [methods];
  return formatTextTable(headers, rows);
}

/** The table in Markdown (with the data set of each row). */
export function formatMatrixMarkdown(table: MatrixTable, options: MatrixFormatOptions = {}): string {
  const { header, rows } = matrixTableRows(table, options);
  return markdownTable(header, rows);
}
