import { ElasticityError } from '@elasticity/core';
import { isBaselineInput } from './baseline-inputs.ts';
import { methodLabel } from './labels.ts';
import { summarize } from '@elasticity/core';
import type { PipelineResults } from './pipeline-results.ts';
import type { Summary } from './results.ts';

/** One combination of a matrix run: its id, its label on each axis, and its report's results. */
export interface MatrixCombo {
  id: string;
  labels: Record<string, string>;
  results: PipelineResults;
}

export interface MatrixTableOptions {
  /** Axis names in declared order. */
  axes: string[];
  /** Axes whose labels make the rows. Default: the first axis with more than one label (the over axis aside). */
  rowAxes?: string[];
  /** Axis to average over. Default: 'seed' when there is such an axis (and it is not a row axis). */
  overAxis?: string;
  /**
   * The labels of every combination the table is for, run or not, in matrix
   * order. Rows, model columns and which axes vary then come from these, so
   * a combination without results shows as empty cells ("–"), not as a
   * missing row or column (a suite half done). Default: the combos given.
   */
  expected?: Record<string, string>[];
}

export interface MatrixColumn {
  /** e.g. "PCA + K-means", "relative similarity + K-means (relu-mse)". */
  label: string;
  input: string;
  method: string;
  /** Labels on the column axes (e.g. { model: 'relu-mse' }); {} for a baseline column. */
  labels: Record<string, string>;
}

/**
 * One cell. n = 1: the accuracy Summary of that run (mean ± sd over its
 * clustering seeds). n > 1: mean ± sample sd over the runs that differ only on
 * the over axis, values = each run's mean accuracy.
 */
export interface MatrixCell extends Summary {
  n: number;
  /** Ids of the combos behind the cell. */
  combos: string[];
}

export interface MatrixRow {
  /** Labels on the row axes, e.g. { pair: '5v8' }. */
  labels: Record<string, string>;
  /** Data set name of the row's first run (e.g. "mnist 5v8 | 9,3"). */
  dataset: string;
  /** cells[c] belongs to columns[c]; undefined where no run measured it. */
  cells: (MatrixCell | undefined)[];
}

export interface MatrixTable {
  rowAxes: string[];
  /** Axes whose labels split the model columns (neither row nor over axes). */
  columnAxes: string[];
  /** The axis averaged over, when it has more than one label. */
  over?: string;
  /** Labels of the over axis (1 without one): a cell with fewer runs has n below it. */
  n: number;
  /** Axes with one label among the combos (left out of rows and columns), e.g. { scale: 'quick' }. */
  fixed: Record<string, string>;
  columns: MatrixColumn[];
  rows: MatrixRow[];
}

const pick = (labels: Record<string, string>, axes: string[]) => Object.fromEntries(axes.map((a) => [a, labels[a]]));
const keyOf = (labels: Record<string, string>, axes: string[]) => JSON.stringify(axes.map((a) => labels[a]));

/** Checks the options against the combos (and the expected labels); returns the labels of each axis in order of first appearance. */
function axisLabels(combos: MatrixCombo[], options: MatrixTableOptions): Map<string, string[]> {
  const { axes } = options;
  if (axes.length === 0) throw new ElasticityError('a matrix needs at least one axis', { field: 'axes' });
  if (new Set(axes).size !== axes.length) throw new ElasticityError(`repeats an axis: ${axes.join(', ')}`, { field: 'axes' });
  for (const a of options.rowAxes ?? []) {
    if (!axes.includes(a)) throw new ElasticityError(`"${a}" is not an axis (axes: ${axes.join(', ')})`, { field: 'rowAxes' });
  }
  if (options.overAxis !== undefined) {
    if (!axes.includes(options.overAxis)) throw new ElasticityError(`"${options.overAxis}" is not an axis (axes: ${axes.join(', ')})`, { field: 'overAxis' });
    if (options.rowAxes?.includes(options.overAxis)) throw new ElasticityError(`"${options.overAxis}" cannot be both a row axis and the axis averaged over`, { field: 'overAxis' });
  }
  const labels = new Map(axes.map((a) => [a, [] as string[]]));
  const entries = [
    ...(options.expected ?? []).map((l, i) => ({ name: `expected combination ${i + 1}`, labels: l, field: `expected[${i}]` })),
    ...combos.map((c, i) => ({ name: `combo ${c.id}`, labels: c.labels, field: `combos[${i}]` })),
  ];
  for (const e of entries) {
    for (const a of axes) {
      const label = e.labels[a];
      if (typeof label !== 'string') throw new ElasticityError(`${e.name} has no label on axis "${a}"`, { field: `${e.field}.labels.${a}` });
      const list = labels.get(a)!;
      if (!list.includes(label)) list.push(label);
    }
  }
  return labels;
}

/**
 * The combined table of a matrix run, in the layout of the paper's Table 1:
 * one row per label tuple of the row axes (order of first appearance);
 * columns are the baselines (inputs computed from the data alone, shared by
 * every model: the first run's result is kept for each value of the over
 * axis), then for each label tuple of the remaining axes, each similarity
 * method. Cells are the clustering accuracy, averaged over the over axis.
 * Axes with a single label among the combos are left out of the labels.
 * With `expected`, rows and model columns are those of every expected
 * combination (cells without a run stay empty; a row without any run has
 * the data set "–").
 */
export function buildMatrixTable(combos: MatrixCombo[], options: MatrixTableOptions): MatrixTable {
  const labels = axisLabels(combos, options);
  const { axes } = options;
  const fixed = Object.fromEntries(axes.filter((a) => labels.get(a)!.length === 1).map((a) => [a, labels.get(a)![0]]));
  const varies = (a: string) => labels.get(a)!.length > 1;
  const overAxis = options.overAxis ?? (axes.includes('seed') && !options.rowAxes?.includes('seed') ? 'seed' : undefined);
  const over = overAxis !== undefined && varies(overAxis) ? overAxis : undefined;
  const rowAxes = options.rowAxes
    ?? [axes.find((a) => a !== overAxis && varies(a)) ?? axes.find((a) => a !== overAxis)].filter((a): a is string => a !== undefined);
  const columnAxes = axes.filter((a) => varies(a) && a !== over && !rowAxes.includes(a));

  // Two runs with the same labels on every axis the table distinguishes would fill the same cells.
  const distinct = [...rowAxes, ...columnAxes, ...(over ? [over] : [])];
  const seen = new Map<string, string>();
  for (const c of combos) {
    const key = keyOf(c.labels, distinct);
    const other = seen.get(key);
    if (other !== undefined) throw new ElasticityError(`combos ${other} and ${c.id} have the same labels on ${distinct.join(', ') || 'every axis'}`, { field: 'combos' });
    seen.set(key, c.id);
  }

  const baselineColumns = new Map<string, MatrixColumn>();
  const tuples = new Map<string, Record<string, string>>();
  const methods = new Map<string, { input: string; method: string }>();
  const modelColumns = new Set<string>();
  // row key -> column key -> over label -> the run filling it
  const rows = new Map<string, { labels: Record<string, string>; dataset?: string; cells: Map<string, Map<string, { id: string; accuracy: Summary }>> }>();
  const addRow = (labels: Record<string, string>) => {
    const rowKey = keyOf(labels, rowAxes);
    if (!rows.has(rowKey)) rows.set(rowKey, { labels: pick(labels, rowAxes), cells: new Map() });
    return rows.get(rowKey)!;
  };
  const addTuple = (labels: Record<string, string>) => {
    const tuple = keyOf(labels, columnAxes);
    if (!tuples.has(tuple)) tuples.set(tuple, pick(labels, columnAxes));
    return tuple;
  };
  for (const labels of options.expected ?? []) {
    addRow(labels);
    addTuple(labels);
  }
  for (const c of combos) {
    if (c.results.results.length === 0) continue;
    const row = addRow(c.labels);
    row.dataset ??= c.results.dataset.name;
    const overLabel = over ? c.labels[over] : '';
    for (const r of c.results.results) {
      const method = JSON.stringify([r.input, r.method]);
      let columnKey: string;
      if (isBaselineInput(r.input)) {
        columnKey = `baseline ${method}`;
        if (!baselineColumns.has(columnKey)) baselineColumns.set(columnKey, { label: methodLabel(r.input, r.method), input: r.input, method: r.method, labels: {} });
      } else {
        const tuple = addTuple(c.labels);
        if (!methods.has(method)) methods.set(method, { input: r.input, method: r.method });
        columnKey = `${tuple} ${method}`;
        modelColumns.add(columnKey);
      }
      const cell = row.cells.get(columnKey) ?? new Map<string, { id: string; accuracy: Summary }>();
      row.cells.set(columnKey, cell);
      if (!cell.has(overLabel)) cell.set(overLabel, { id: c.id, accuracy: r.accuracy });
    }
  }

  const columnKeys: string[] = [...baselineColumns.keys()];
  const columns: MatrixColumn[] = [...baselineColumns.values()];
  for (const [tuple, tupleLabels] of tuples) {
    const suffix = columnAxes.length > 0 ? ` (${columnAxes.map((a) => tupleLabels[a]).join(', ')})` : '';
    for (const [method, m] of methods) {
      const key = `${tuple} ${method}`;
      // Expected combinations: every model has every method, so a model not run yet keeps its columns.
      if (!modelColumns.has(key) && !options.expected) continue;
      columnKeys.push(key);
      columns.push({ label: `${methodLabel(m.input, m.method)}${suffix}`, input: m.input, method: m.method, labels: tupleLabels });
    }
  }
  return {
    rowAxes, columnAxes, ...(over ? { over } : {}), n: over ? labels.get(over)!.length : 1, fixed, columns,
    rows: [...rows.values()].map((row) => ({
      labels: row.labels, dataset: row.dataset ?? '–',
      cells: columnKeys.map((key) => {
        const runs = [...(row.cells.get(key)?.values() ?? [])];
        if (runs.length === 0) return undefined;
        const ids = runs.map((r) => r.id);
        if (runs.length === 1) return { mean: runs[0].accuracy.mean, sd: runs[0].accuracy.sd, values: [...runs[0].accuracy.values], n: 1, combos: ids };
        return { ...summarize(runs.map((r) => r.accuracy.mean)), n: runs.length, combos: ids };
      }),
    })),
  };
}
