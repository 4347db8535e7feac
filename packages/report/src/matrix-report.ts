import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ElasticityError, runStage, writeFileAtomic } from '@elasticity/core';
import { htmlFigure, htmlTable, renderHtmlDocument } from './html.ts';
import type { HtmlSection } from './html.ts';
import { buildMatrixTable } from './matrix-table.ts';
import type { MatrixCombo } from './matrix-table.ts';
import { formatMatrixMarkdown, matrixTableCaption } from './matrix-table-format.ts';
import { RUN_HEADER, matrixBarsSvg, matrixRunRows, matrixRunsMarkdown, matrixTableHtml } from './matrix-page.ts';
import type { MatrixResults } from './matrix-results.ts';
import { readPipelineResults } from './read-pipeline-results.ts';
import { readTrainingSeconds } from './training-time.ts';
import { numericAxis, overAxisData } from './over-axis.ts';
import { overAxisSpec } from './figures/over-axis-lines.ts';
import { renderSvg } from './figures/render-svg.ts';
import { plural } from './plural.ts';

export interface MatrixReportOptions {
  /** The matrix pipeline's name. */
  pipeline: string;
  title?: string;
  /** Axis names in declared order. */
  axes: string[];
  /** Every combination to report: id, labels on each axis, and its report folder (holding results.json). */
  combos: { id: string; labels: Record<string, string>; reportDir: string }[];
  rowAxes?: string[];
  overAxis?: string;
  outDir: string;
  /** Axis labels the run was restricted to, shown in the report (e.g. { scale: 'quick' }). */
  filter?: Record<string, string>;
}

const labelsText = (labels: Record<string, string>) => Object.entries(labels).map(([a, l]) => `${a}=${l}`).join(', ');

/**
 * The combined report of a matrix run: reads every combination's
 * results.json and writes results.json, report.md and a self-contained
 * report.html with the table in the layout of the paper's Table 1 (see
 * buildMatrixTable), a bar figure of it and one line per run.
 */
export async function runMatrixReport(options: MatrixReportOptions): Promise<MatrixResults> {
  if (options.combos.length === 0) throw new ElasticityError('no combination to report: the matrix (after the filter) is empty', { file: options.outDir, field: 'combos' });
  const files = options.combos.map((c) => join(c.reportDir, 'results.json'));
  for (const [i, file] of files.entries()) {
    if (!existsSync(file)) throw new ElasticityError(`combination ${options.combos[i].id} of ${options.pipeline} has no report yet (run it first)`, { file });
  }
  const filter = options.filter ?? {};
  const params = { pipeline: options.pipeline, title: options.title ?? null, axes: options.axes, rowAxes: options.rowAxes ?? null, overAxis: options.overAxis ?? null, filter };
  return runStage({ stage: 'matrix-report', outDir: options.outDir, params, seed: null, inputFiles: files }, async ({ dir, log }) => {
    const combos: MatrixCombo[] = [];
    for (const [i, c] of options.combos.entries()) combos.push({ id: c.id, labels: c.labels, results: await readPipelineResults(files[i]) });
    const trainingSeconds = await Promise.all(combos.map((c) => readTrainingSeconds(c.results)));
    const table = buildMatrixTable(combos, { axes: options.axes, rowAxes: options.rowAxes, overAxis: options.overAxis });
    const title = options.title ?? `${options.pipeline}: clustering accuracy over ${plural(combos.length, 'run')}`;
    const results: MatrixResults = { title, pipeline: options.pipeline, axes: options.axes, filter, table, combos };
    const intro = `Matrix pipeline ${options.pipeline}: axes ${options.axes.join(', ')}; ${plural(combos.length, 'run')}`
      + `${Object.keys(filter).length > 0 ? `; filter ${labelsText(filter)}` : ''}.`;

    const svg = await matrixBarsSvg(title, table);
    if (svg) await writeFileAtomic(join(dir, 'figures', 'matrix-accuracy.svg'), svg);
    // a numeric axis (e.g. the epoch of the checkpoint probed): accuracy and elasticity ratio against it
    const axis = numericAxis(options.axes, combos);
    const over = axis ? overAxisData(axis, options.axes, combos) : undefined;
    const overSvg = over && over.accuracy.length > 0 ? await renderSvg(overAxisSpec(`${options.pipeline}: against ${axis}`, over)) : undefined;
    const overCaption = `Clustering accuracy (mean ± sd over the clustering seeds, top) and elasticity ratio (mean similarity within a class over mean similarity between the classes; dashed: 1, no preference for the own class) against ${axis}, one panel per run of the other axes.`;
    if (overSvg) await writeFileAtomic(join(dir, 'figures', `matrix-over-${axis}.svg`), overSvg);
    const sections: HtmlSection[] = [];
    if (table.rows.length > 0) sections.push({ heading: 'Clustering (Table 1 layout)', html: matrixTableHtml('matrix-table', table) });
    if (svg) sections.push({ heading: 'Figure', html: htmlFigure('matrix-accuracy', matrixTableCaption(table), svg) });
    if (overSvg) sections.push({ heading: `Against ${axis}`, html: htmlFigure(`matrix-over-${axis}`, overCaption, overSvg) });
    sections.push({ heading: 'Runs', html: htmlTable('runs-table', 'Each combination of the matrix: model, training and held-out accuracy, training time and backend', RUN_HEADER, matrixRunRows(combos, trainingSeconds)) });

    const md = [`# ${title}`, '', intro, ''];
    if (table.rows.length > 0) md.push(matrixTableCaption(table), '', formatMatrixMarkdown(table), '');
    else md.push('(no run of this matrix clusters)', '');
    if (svg) md.push('![Clustering accuracy](figures/matrix-accuracy.svg)', '');
    if (overSvg) md.push(`![Against ${axis}](figures/matrix-over-${axis}.svg)`, '', overCaption, '');
    md.push('Runs:', '', matrixRunsMarkdown(combos, trainingSeconds), '', 'Sortable tables and the data: report.html.', '');

    await writeFileAtomic(join(dir, 'results.json'), JSON.stringify(results, null, 2) + '\n');
    await writeFileAtomic(join(dir, 'report.md'), md.join('\n'));
    await writeFileAtomic(join(dir, 'report.html'), renderHtmlDocument(title, intro, sections, results));
    log.info(`${plural(combos.length, 'run')}, ${plural(table.rows.length, 'row')} x ${plural(table.columns.length, 'column')}${table.over ? `, mean over ${plural(table.n, 'value')} of ${table.over}` : ''}`);
    return results;
  });
}
