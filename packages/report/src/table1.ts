import { methodLabel } from './labels.ts';
import { isBaselineInput } from './baseline-inputs.ts';
import type { Summary } from './results.ts';
import type { PipelineResults } from './pipeline-results.ts';

export interface Table1 {
  /** Column labels: baselines first, then each model's similarity methods in pipeline order. */
  columns: string[];
  /** One row per data set and pair; cells[c] is undefined where no pipeline measured that column. */
  rows: { dataset: string; pipelines: string[]; cells: (Summary | undefined)[] }[];
}

/** The column a clustering result belongs to: baselines by method, similarity methods by method and model. */
export function table1Column(input: string, method: string, training: PipelineResults['training']): string {
  const label = methodLabel(input, method);
  if (isBaselineInput(input) || !training) return label;
  return `${label} (${training.model}, ${training.loss})`;
}

/**
 * The paper's Table 1 layout across pipelines: rows are data sets (and
 * their primary pair), columns are methods, cells the clustering accuracy
 * (mean ± sd over seeds). Pipelines without clustering add nothing. Where
 * two pipelines fill the same cell (a baseline measured twice), the first
 * one in the given order is kept.
 */
export function buildTable1(pipelines: PipelineResults[]): Table1 {
  const columns: string[] = [];
  const baselines: string[] = [];
  const byRow = new Map<string, { pipelines: string[]; cells: Map<string, Summary> }>();
  for (const p of pipelines) {
    if (p.results.length === 0) continue;
    const row = byRow.get(p.dataset.name) ?? { pipelines: [] as string[], cells: new Map<string, Summary>() };
    byRow.set(p.dataset.name, row);
    row.pipelines.push(p.pipeline);
    for (const r of p.results) {
      const column = table1Column(r.input, r.method, p.training);
      const list: string[] = isBaselineInput(r.input) ? baselines : columns;
      if (!list.includes(column)) list.push(column);
      if (!row.cells.has(column)) row.cells.set(column, r.accuracy);
    }
  }
  const all = [...baselines, ...columns];
  return {
    columns: all,
    rows: [...byRow].map(([dataset, row]) => ({ dataset, pipelines: row.pipelines, cells: all.map((c) => row.cells.get(c)) })),
  };
}

/** mean ± sd, or the mean alone for one seed, or "–" for an empty cell. */
export function formatCell(s: Summary | undefined, digits = 4): string {
  if (!s) return '–';
  return s.values.length > 1 ? `${s.mean.toFixed(digits)} ± ${s.sd.toFixed(digits)}` : s.mean.toFixed(digits);
}
