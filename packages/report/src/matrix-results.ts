import { ElasticityError, readJsonFile } from '@elasticity/core';
import type { MatrixCombo, MatrixTable } from './matrix-table.ts';

/** What runMatrixReport writes as results.json. */
export interface MatrixResults {
  title: string;
  /** The matrix pipeline's name. */
  pipeline: string;
  /** Axis names in declared order. */
  axes: string[];
  /** Axis labels the run was restricted to (e.g. { scale: 'quick' }); {} when none. */
  filter: Record<string, string>;
  table: MatrixTable;
  /** Every combination: its id, labels and its own report's results. */
  combos: MatrixCombo[];
}

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/** Reads a matrix report's results.json; one ElasticityError naming the file and field when it is missing or not one. */
export async function readMatrixResults(file: string): Promise<MatrixResults> {
  const r = await readJsonFile(file);
  if (!isObject(r)) throw new ElasticityError('not a matrix report results.json (an object with title, pipeline, axes, table, combos)', { file });
  for (const key of ['title', 'pipeline'] as const) {
    if (typeof r[key] !== 'string') throw new ElasticityError('must be a string', { file, field: key });
  }
  if (!Array.isArray(r.axes)) throw new ElasticityError('must be a list of axis names', { file, field: 'axes' });
  if (!Array.isArray(r.combos)) throw new ElasticityError('must be a list', { file, field: 'combos' });
  const t = r.table;
  if (!isObject(t) || !Array.isArray(t.columns) || !Array.isArray(t.rows) || !Array.isArray(t.rowAxes)) {
    throw new ElasticityError('must be a matrix table { rowAxes, columns, rows, ... }', { file, field: 'table' });
  }
  return r as unknown as MatrixResults;
}
