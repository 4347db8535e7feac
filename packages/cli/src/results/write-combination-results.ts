import { join } from 'node:path';
import { ElasticityError, writeFileAtomic } from '@elasticity/core';
import { readPipelineResults } from '@elasticity/report';
import { stageDir } from '@elasticity/pipeline';
import type { Pipeline, PlannedCombination } from '@elasticity/pipeline';
import { combinationResults } from './combination-results.ts';
import { combinationTimings } from './combination-timings.ts';

export interface WriteCombinationResultsOptions {
  /** The matrix pipeline. */
  pipeline: Pipeline;
  /** The finished combinations to write (each with a report stage). */
  combos: PlannedCombination[];
  /** The suite they were run as part of: the --only filter (axis -> label). */
  selection: Record<string, string>;
  /** Root of stage outputs (data). */
  dataRoot: string;
  /** The results folder: one RESULTS/<combination id>.json each. */
  resultsDir: string;
}

/** The file of one combination in a results folder. */
export function combinationFile(resultsDir: string, comboId: string): string {
  return join(resultsDir, `${comboId}.json`);
}

/**
 * Writes one JSON file per combination into the results folder (atomically:
 * a reader sees the old file or the new one), from the combination's report
 * (DATA/NAME/report-ID/results.json) and its stage timings. Resolves to the
 * files written, in the order of `combos`.
 */
export async function writeCombinationResults(options: WriteCombinationResultsOptions): Promise<string[]> {
  const { pipeline, dataRoot } = options;
  const matrix = (pipeline.matrix ?? []).map((a) => ({ axis: a.name, labels: a.values.map((v) => v.label) }));
  if (matrix.length === 0) throw new ElasticityError('results files are written per combination of a matrix pipeline; this pipeline has no "matrix"', { file: pipeline.file, field: '--results' });
  const files: string[] = [];
  for (const combo of options.combos) {
    const report = combo.instances.report;
    if (!report) throw new ElasticityError(`combination ${combo.id} has no report stage, so no results to write`, { file: pipeline.file, field: 'report' });
    const results = await readPipelineResults(join(stageDir(dataRoot, pipeline.name, report.folder), 'results.json'));
    const timings = await combinationTimings(dataRoot, pipeline.name, combo);
    const place = { pipeline: pipeline.name, combination: combo.id, labels: combo.labels, matrix, selection: options.selection };
    const file = combinationFile(options.resultsDir, combo.id);
    await writeFileAtomic(file, `${JSON.stringify(combinationResults(place, results, timings), null, 2)}\n`);
    files.push(file);
  }
  return files;
}
