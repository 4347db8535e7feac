import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ElasticityError, runStage, writeFileAtomic } from '@elasticity/core';
import { renderSvg } from './figures/render-svg.ts';
import { barsWithErrorsSpec } from './figures/cluster-bars.ts';
import { escapeHtml, htmlDetails, htmlFigure, htmlTable, renderHtmlDocument } from './html.ts';
import type { HtmlSection } from './html.ts';
import { buildTable1, formatCell } from './table1.ts';
import type { Table1 } from './table1.ts';
import { GEODESIC_HEADER, PROVENANCE_HEADER, geodesicRows, modelLine, provenanceRows } from './pipeline-page.ts';
import type { PipelineResults } from './pipeline-results.ts';
import { readPipelineResults } from './read-pipeline-results.ts';
import { readTrainingSeconds } from './training-time.ts';
import { markdownTable } from './table.ts';
import { plural } from './plural.ts';

export interface ReportAllOptions {
  /** Each pipeline's name and report folder (data/NAME/report), in the order to show them. */
  pipelines: { name: string; reportDir: string }[];
  outDir: string;
  title?: string;
}

export interface AllResults {
  title: string;
  pipelines: PipelineResults[];
  table1: Table1;
}

/** Rows of the cross-pipeline geodesic table: one per pipeline and measure. */
function geodesicAllRows(pipelines: PipelineResults[]): string[][] {
  return pipelines.flatMap((p) => geodesicRows(p).map((row) => [p.dataset.name, p.training?.model ?? '–', p.pipeline, ...row]));
}

/** Run metadata per pipeline: model, sizes, seeds, backend, training time (from the timings files, when present). */
function runRows(pipelines: PipelineResults[], trainingSeconds: (number | undefined)[]): string[][] {
  return pipelines.map((p, i) => {
    const t = p.training;
    const seedOf = (stage: string) => p.metadata?.files.find((f) => f.stage === stage)?.seed;
    const seeds = [`data ${seedOf('ingest') ?? '–'}`, `train ${t?.seed ?? '–'}`, p.clustering ? `cluster ${plural(p.clustering.seeds, 'seed')}` : undefined].filter(Boolean).join(', ');
    return [
      p.pipeline, p.dataset.name, t?.model ?? '–', String(t?.width ?? '–'), String(t?.epochs ?? '–'), String(t?.lr ?? '–'),
      String(t?.backend ?? '–'), seeds, trainingSeconds[i] !== undefined ? `${trainingSeconds[i]!.toFixed(1)} s` : '–',
    ];
  });
}
const RUN_HEADER = ['pipeline', 'data set', 'model', 'width', 'epochs', 'lr', 'backend', 'seeds', 'training time'];

function table1Markdown(t: Table1): string {
  return markdownTable(['data set', ...t.columns], t.rows.map((r) => [r.dataset, ...r.cells.map((c) => formatCell(c))]));
}

/**
 * The cross-pipeline report: reads every pipeline's results.json and
 * figures, and writes results.json, report.md and one self-contained
 * report.html with the results table in the layout of the paper's Table 1,
 * the synthetic correlations, all figures and the run metadata.
 */
export async function runReportAll(options: ReportAllOptions): Promise<AllResults> {
  const files = options.pipelines.map((p) => join(p.reportDir, 'results.json'));
  for (const [i, file] of files.entries()) {
    if (!existsSync(file)) throw new ElasticityError(`pipeline ${options.pipelines[i].name} has no report yet (run it first)`, { file });
  }
  if (files.length === 0) throw new ElasticityError('no pipeline has a report yet: run a pipeline first', { file: options.outDir });
  return runStage({ stage: 'report-all', outDir: options.outDir, params: { title: options.title ?? null }, seed: null, inputFiles: files }, async ({ dir, log }) => {
    const pipelines: PipelineResults[] = [];
    const pipelineSvgs: string[][] = [];
    for (const [i, p] of options.pipelines.entries()) {
      const r = await readPipelineResults(files[i]);
      pipelines.push(r);
      const svgs = [];
      for (const f of r.figures ?? []) svgs.push(await readFile(join(p.reportDir, f.file), 'utf8'));
      pipelineSvgs.push(svgs);
    }
    const trainingSeconds = await Promise.all(pipelines.map(readTrainingSeconds));
    const table1 = buildTable1(pipelines);
    const title = options.title ?? `Local elasticity: ${plural(pipelines.length, 'pipeline')}`;
    const all: AllResults = { title, pipelines, table1 };

    const figures: { id: string; caption: string; svg: string }[] = [];
    const withGeodesic = pipelines.filter((p) => p.geodesic?.length);
    if (withGeodesic.length > 0) {
      const values = withGeodesic.flatMap((p) => p.geodesic!.filter((g) => g.measure === 'relative similarity').map((g) => ({
        group: p.dataset.synthetic ?? p.dataset.name, series: String(p.training?.activation ?? p.training?.model ?? p.pipeline), mean: g.pearson, sd: 0,
      })));
      figures.push({ id: 'geodesic-correlations', caption: 'Pearson correlation between relative similarity and geodesic distance over the class-1 pairs, per data set and hidden activation.',
        svg: await renderSvg(barsWithErrorsSpec('Relative similarity vs geodesic distance', values, 'Pearson r')) });
    }
    if (table1.rows.length > 0) {
      const values = table1.rows.flatMap((r) => r.cells.flatMap((c, k) => (c ? [{ group: table1.columns[k], series: r.dataset, mean: c.mean, sd: c.sd }] : [])));
      figures.push({ id: 'table1-accuracy', caption: 'Clustering accuracy of Table 1, mean ± sd over seeds.',
        svg: await renderSvg(barsWithErrorsSpec('Clustering accuracy', values, 'accuracy')) });
    }
    for (const f of figures) await writeFileAtomic(join(dir, 'figures', `${f.id}.svg`), f.svg);

    const sections: HtmlSection[] = [];
    if (table1.rows.length > 0) {
      sections.push({
        heading: 'Clustering (Table 1 layout)',
        html: htmlTable('table1', 'Clustering accuracy of the primary pair, mean ± sd over seeds (rows: data set and pair; columns: methods)',
          ['data set', ...table1.columns], table1.rows.map((r) => [r.dataset, ...r.cells.map((c) => formatCell(c))])),
      });
    }
    if (withGeodesic.length > 0) {
      sections.push({
        heading: 'Similarity against geodesic distance (synthetic data)',
        html: htmlTable('geodesic-table', 'Correlation with geodesic distance over every pair of class-1 points',
          ['data set', 'model', 'pipeline', ...GEODESIC_HEADER], geodesicAllRows(pipelines)),
      });
    }
    if (figures.length > 0) sections.push({ heading: 'Summary figures', html: figures.map((f) => htmlFigure(f.id, f.caption, f.svg)).join('\n') });
    pipelines.forEach((p, i) => {
      if (!p.figures?.length) return;
      const model = modelLine(p, trainingSeconds[i]);
      sections.push({
        heading: `Pipeline ${p.pipeline}`,
        html: `<p class="note">${escapeHtml(`${p.dataset.name}${model ? ` — ${model}` : ''}`)}</p>\n`
          + p.figures.map((f, k) => htmlFigure(`${p.pipeline}-${f.id}`, f.caption, pipelineSvgs[i][k])).join('\n'),
      });
    });
    sections.push({
      heading: 'Run metadata',
      html: htmlTable('run-table', 'Model, sizes, seeds, backend and training time of each pipeline', RUN_HEADER, runRows(pipelines, trainingSeconds))
        + htmlDetails(`${plural(pipelines.reduce((s, p) => s + (p.metadata?.files.length ?? 0), 0), 'upstream file')} behind the reports: stage, seed, contract and input hashes`,
          htmlTable('provenance-table', 'Files behind each report, from their Arrow metadata (input hashes are SHA-256 prefixes)',
            ['pipeline', ...PROVENANCE_HEADER], pipelines.flatMap((p) => provenanceRows(p).map((row) => [p.pipeline, ...row])))),
    });

    const md = [`# ${title}`, ''];
    if (table1.rows.length > 0) md.push('Clustering accuracy (mean ± sd over seeds):', '', table1Markdown(table1), '');
    if (withGeodesic.length > 0) {
      const header = ['data set', 'model', 'pipeline', ...GEODESIC_HEADER];
      md.push('Similarity against geodesic distance:', '', `| ${header.join(' | ')} |`, `|${header.map(() => '---').join('|')}|`,
        ...geodesicAllRows(pipelines).map((r) => `| ${r.join(' | ')} |`), '');
    }
    md.push('Runs:', '', `| ${RUN_HEADER.join(' | ')} |`, `|${RUN_HEADER.map(() => '---').join('|')}|`, ...runRows(pipelines, trainingSeconds).map((r) => `| ${r.join(' | ')} |`), '');
    md.push('Figures, per-pipeline figures and input hashes: report.html.', '');

    await writeFileAtomic(join(dir, 'results.json'), JSON.stringify(all, null, 2) + '\n');
    await writeFileAtomic(join(dir, 'report.md'), md.join('\n'));
    await writeFileAtomic(join(dir, 'report.html'), renderHtmlDocument(title, `Cross-pipeline report over ${pipelines.map((p) => p.pipeline).join(', ')}.`, sections, all));
    log.info(`${plural(pipelines.length, 'pipeline')}, ${plural(table1.rows.length, 'Table 1 row')}, ${withGeodesic.length} with geodesic analysis; ${plural(figures.length, 'summary figure')}`);
    return all;
  });
}
