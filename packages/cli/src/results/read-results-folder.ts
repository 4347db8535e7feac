import { existsSync, statSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { ElasticityError } from '@elasticity/core';
import { readPipelineResults } from '@elasticity/report';
import type { CombinationResults } from './combination-results.ts';

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);
const isLabels = (v: unknown): v is Record<string, string> => isObject(v) && Object.values(v).every((l) => typeof l === 'string');

/** Reads and checks one combination file; one ElasticityError naming the file and field when it is not one. */
export async function readCombinationResults(file: string): Promise<CombinationResults> {
  const r = (await readPipelineResults(file)) as unknown as Record<string, unknown>;
  if (typeof r.combination !== 'string' || r.combination === '') throw new ElasticityError('not a combination results file: needs "combination" (written by `elasticity run NAME --results DIR`)', { file, field: 'combination' });
  const labels = r.labels;
  if (!isLabels(labels)) throw new ElasticityError('must be an object of axis -> label', { file, field: 'labels' });
  if (!isLabels(r.selection)) throw new ElasticityError('must be an object of axis -> label', { file, field: 'selection' });
  const matrix = r.matrix;
  if (!Array.isArray(matrix) || matrix.length === 0
    || !matrix.every((a) => isObject(a) && typeof a.axis === 'string' && Array.isArray(a.labels) && a.labels.every((l) => typeof l === 'string'))) {
    throw new ElasticityError('must be a list of { axis, labels }', { file, field: 'matrix' });
  }
  for (const { axis } of matrix as { axis: string }[]) {
    if (typeof labels[axis] !== 'string') throw new ElasticityError(`has no label on axis "${axis}"`, { file, field: 'labels' });
  }
  return r as unknown as CombinationResults;
}

/**
 * Every combination file of a results folder (DIR/*.json, by name), all of
 * one pipeline. An error names the folder when it is missing or holds none,
 * and the files when they come from different pipelines.
 */
export async function readResultsFolder(dir: string): Promise<{ file: string; results: CombinationResults }[]> {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new ElasticityError('no such results folder', { file: dir });
  const names = (await readdir(dir)).filter((f) => f.endsWith('.json')).sort();
  const files: { file: string; results: CombinationResults }[] = [];
  for (const name of names) files.push({ file: join(dir, name), results: await readCombinationResults(join(dir, name)) });
  if (files.length === 0) throw new ElasticityError('holds no combination results (*.json) yet', { file: dir });
  const other = files.find((f) => f.results.pipeline !== files[0].results.pipeline);
  if (other) {
    throw new ElasticityError(`holds results of two pipelines: ${files[0].results.pipeline} (${files[0].file}) and ${other.results.pipeline} (${other.file}); keep one pipeline per folder`, { file: dir });
  }
  return files;
}
