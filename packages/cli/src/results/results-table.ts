import { ElasticityError } from '@elasticity/core';
import { buildMatrixTable } from '@elasticity/report';
import type { MatrixTable } from '@elasticity/report';
import type { CombinationResults } from './combination-results.ts';

/** The Table 1 layout of a results folder, and how much of its suite is done. */
export interface ResultsTable {
  pipeline: string;
  /** The suite: axis -> label that every file's selection holds ({} for the whole matrix). */
  selection: Record<string, string>;
  table: MatrixTable;
  /** Ids of the suite's combinations, in matrix order, and of those without a file. */
  expected: string[];
  missing: string[];
}

/** The axes of the files' matrices, labels in order of first appearance (a value added to the pipeline later shows up). */
function unionMatrix(files: CombinationResults[]): { axis: string; labels: string[] }[] {
  const axes = files[0].matrix.map((a) => a.axis);
  const out = axes.map((axis) => ({ axis, labels: [] as string[] }));
  for (const f of files) {
    const names = f.matrix.map((a) => a.axis);
    if (names.join(',') !== axes.join(',')) {
      throw new ElasticityError(`combination ${f.combination} has the axes ${names.join(', ')}, another ${axes.join(', ')}: the folder mixes two versions of the matrix`, { field: 'matrix' });
    }
    f.matrix.forEach((a, i) => {
      for (const label of a.labels) if (!out[i].labels.includes(label)) out[i].labels.push(label);
    });
  }
  return out;
}

/** The axis -> label pairs every file's selection holds. */
function commonSelection(files: CombinationResults[]): Record<string, string> {
  return Object.fromEntries(Object.entries(files[0].selection).filter(([axis, label]) => files.every((f) => f.selection[axis] === label)));
}

/** Every combination of the matrix that the selection keeps, in matrix order (the first axis varies slowest). */
function expectedCombinations(matrix: { axis: string; labels: string[] }[], selection: Record<string, string>): Record<string, string>[] {
  let combos: Record<string, string>[] = [{}];
  for (const { axis, labels } of matrix) {
    const kept = selection[axis] !== undefined ? [selection[axis]] : labels;
    combos = combos.flatMap((c) => kept.map((label) => ({ ...c, [axis]: label })));
  }
  return combos;
}

/**
 * The table of a results folder in the layout of the paper's Table 1
 * (buildMatrixTable, as the matrix report draws it): the suite is every
 * combination of the files' matrix that their selections agree on; rows are
 * its first axis that varies (pair), columns the methods per value of the
 * other varying axes (model), and a `seed` axis is averaged over (mean ± sd
 * over the training seeds). Combinations without a file are empty cells.
 * `rowAxes` (e.g. pair and model) puts those axes' labels in the rows
 * instead: one row per pair and model, the methods as columns once.
 */
export function resultsTable(files: CombinationResults[], options: { rowAxes?: string[] } = {}): ResultsTable {
  if (files.length === 0) throw new ElasticityError('no combination results to tabulate');
  const matrix = unionMatrix(files);
  const selection = commonSelection(files);
  const expectedLabels = expectedCombinations(matrix, selection);
  const axes = matrix.map((a) => a.axis);
  const idOf = (labels: Record<string, string>) => axes.map((a) => labels[a]).join('.');
  const table = buildMatrixTable(files.map((f) => ({ id: f.combination, labels: f.labels, results: f })), { axes, expected: expectedLabels, rowAxes: options.rowAxes });
  const done = new Set(files.map((f) => f.combination));
  const expected = expectedLabels.map(idOf);
  return { pipeline: files[0].pipeline, selection, table, expected, missing: expected.filter((id) => !done.has(id)) };
}
