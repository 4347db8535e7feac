import { existsSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import {
  ElasticityError, primaryIndices, readDatasetFile, readMatrixFile, readModelInfo, readTrainingMetricsFile, runStage, writeFileAtomic,
} from '@elasticity/core';
import type { Dataset, EpochRecord, ExampleMatrix } from '@elasticity/core';
import { readClusterMetrics } from './results.ts';
import { parseReportConfig } from './report-config.ts';
import type { ReportConfig } from './report-config.ts';
import { analyzeGeodesics } from './geodesic-analysis.ts';
import type { GeodesicAnalysis } from './geodesic-analysis.ts';
import { readProvenance } from './run-metadata.ts';
import { renderSvg } from './figures/render-svg.ts';
import { geodesicScatterSpec } from './figures/geodesic-scatter.ts';
import { similarityHeatmapSpec } from './figures/similarity-heatmap.ts';
import { trainingCurvesSpec } from './figures/training-curves.ts';
import { barsWithErrorsSpec } from './figures/cluster-bars.ts';
import { methodLabel } from './labels.ts';
import { pipelineHtml, pipelineMarkdown } from './pipeline-page.ts';
import type { FigureRef, PipelineResults } from './pipeline-results.ts';

export { parseReportConfig };
export type { ReportConfig, PipelineResults };

/** Matrices of the similarity stage the report reads, in the order it prefers them for the heatmap. */
export const SIMILARITY_MATRICES = ['relative', 'kernelized', 'ntk'] as const;

export interface ReportOptions {
  config: unknown;
  pipelineFile: string;
  pipelineName: string;
  datasetFile: string;
  /** The train stage's output folder, when the pipeline trains a model. */
  trainDir?: string;
  /** The similarity stage's output folder (relative / kernelized / ntk matrices). */
  similarityDir?: string;
  /** geodesic.arrow of the ingest stage (synthetic data). */
  geodesicFile?: string;
  /** The cluster stage's output folder, when the pipeline clusters. */
  clusterDir?: string;
  outDir: string;
  /** The effective pipeline sections of this run, written into results.json as `params` (for `elasticity compare`). */
  params?: Record<string, unknown>;
}

async function similarityFiles(dir: string | undefined): Promise<string[]> {
  if (!dir || !existsSync(dir)) return [];
  const present = new Set(await readdir(dir));
  return SIMILARITY_MATRICES.filter((k) => present.has(`${k}.arrow`)).map((k) => join(dir, `${k}.arrow`));
}

async function arrowFilesIn(dir: string | undefined): Promise<string[]> {
  if (!dir || !existsSync(dir)) return [];
  return (await readdir(dir)).filter((f) => f.endsWith('.arrow')).sort().map((f) => join(dir, f));
}

/** Checks that a similarity matrix is over the dataset's primary examples in dataset order. */
function checkPrimary(m: ExampleMatrix, primaryIds: Int32Array, file: string): void {
  const same = (a: Int32Array) => a.length === primaryIds.length && a.every((v, i) => v === primaryIds[i]);
  if (!same(m.rowIds) || !same(m.columnIds)) {
    throw new ElasticityError(`matrix is not over the ${primaryIds.length} primary examples of the data set in dataset order`, { file, field: 'id' });
  }
}

interface Figure extends FigureRef {
  svg: string;
}

async function makeFigures(
  r: PipelineResults, config: ReportConfig, dataset: Dataset, matrices: { matrix: ExampleMatrix; file: string }[],
  analyses: GeodesicAnalysis[], records: EpochRecord[] | undefined,
): Promise<Figure[]> {
  const figures: Figure[] = [];
  const add = async (id: string, caption: string, spec: Parameters<typeof renderSvg>[0]) => {
    figures.push({ id, caption, file: `figures/${id}.svg`, svg: await renderSvg(spec) });
  };
  const model = r.training ? ` (${r.training.model})` : '';
  if (analyses.length > 0) {
    await add('geodesic-scatter', `${r.pipeline}: every pair of class-1 points, similarity against geodesic distance; red: binned means ± 1 sd.`,
      geodesicScatterSpec(`${r.dataset.name}${model}: similarity vs geodesic distance`, analyses));
  }
  const heat = matrices[0];
  if (heat) {
    const rows = primaryIndices(dataset);
    const within = dataset.coord && dataset.coordDim ? rows.map((i) => dataset.coord![i * dataset.coordDim!]) : undefined;
    await add('similarity-heatmap', `${r.pipeline}: ${heat.matrix.kind} similarity of the primary examples, ordered by true class${within ? ' and intrinsic coordinate' : ''}.`,
      similarityHeatmapSpec(`${r.dataset.name}${model}: ${heat.matrix.kind} similarity`, {
        kind: heat.matrix.kind, n: rows.length, values: heat.matrix.values, classes: rows.map((i) => dataset.classes[i]), within,
      }, config.heatmapCells));
  }
  if (records && records.length > 0) {
    await add('training-curves', `${r.pipeline}: training loss and accuracy per epoch.`, trainingCurvesSpec(`${r.dataset.name}${model}: training`, records));
  }
  if (r.results.length > 0) {
    const values = r.results.flatMap((c) => ([['accuracy', c.accuracy], ['ARI', c.ari], ['NMI', c.nmi]] as const).map(([series, s]) => ({
      group: methodLabel(c.input, c.method), series, mean: s.mean, sd: s.sd,
    })));
    await add('clustering', `${r.pipeline}: clustering of the primary examples, mean ± sd over ${r.clustering?.seeds ?? 1} seed(s).`,
      barsWithErrorsSpec(`${r.dataset.name}${model}: clustering`, values, 'score'));
  }
  return figures;
}

/**
 * Collects one pipeline's results into results.json, report.md, report.html
 * and figures/*.svg: the clustering table (when the pipeline clusters), the
 * similarity-vs-geodesic analysis (synthetic data), figures and provenance.
 */
export async function runReport(options: ReportOptions): Promise<PipelineResults> {
  const config = parseReportConfig(options.config, options.pipelineFile);
  const metricsFile = options.clusterDir ? join(options.clusterDir, 'metrics.json') : undefined;
  const trainMetricsFile = options.trainDir ? join(options.trainDir, 'metrics.arrow') : undefined;
  const hasTraining = trainMetricsFile !== undefined && existsSync(trainMetricsFile);
  const simFiles = await similarityFiles(options.similarityDir);
  const geodesicFile = options.geodesicFile && existsSync(options.geodesicFile) ? options.geodesicFile : undefined;
  const inputFiles = [
    options.datasetFile, ...(geodesicFile ? [geodesicFile] : []), ...(hasTraining ? [trainMetricsFile!] : []), ...simFiles, ...(metricsFile ? [metricsFile] : []),
  ];
  return runStage({ stage: 'report', outDir: options.outDir, params: { ...config }, seed: null, inputFiles }, async ({ dir, meta, log }) => {
    const { dataset, meta: datasetMeta } = await readDatasetFile(options.datasetFile);
    const primary = primaryIndices(dataset);
    const primaryIds = Int32Array.from(primary, (i) => dataset.ids[i]);
    const synthetic = datasetMeta.params.source === 'synthetic' ? (datasetMeta.params.synthetic as { shape?: string } | undefined)?.shape : undefined;
    const results: PipelineResults = {
      pipeline: options.pipelineName,
      title: config.title ?? `${options.pipelineName}: ${dataset.name}`,
      dataset: { name: dataset.name, examples: dataset.ids.length, primary: primary.length, ...(synthetic ? { synthetic } : {}) },
      ...(options.params ? { params: options.params } : {}),
      results: [],
    };
    if (metricsFile) {
      const metrics = await readClusterMetrics(metricsFile);
      results.results = metrics.results;
      results.clustering = { k: metrics.k, seeds: metrics.seeds };
    }
    let records: EpochRecord[] | undefined;
    if (hasTraining) {
      records = (await readTrainingMetricsFile(trainMetricsFile!)).records;
      const info = await readModelInfo(join(options.trainDir!, 'model'));
      const last = records[records.length - 1];
      results.training = {
        model: info.model, width: info.width, loss: info.loss, epochs: records.length, backend: info.backend,
        finalLoss: last?.loss ?? NaN, trainAccuracy: last?.trainAccuracy ?? NaN, testAccuracy: last?.testAccuracy ?? NaN,
        lr: info.lr, batch: info.batch, seed: info.seed, activation: info.activation,
      };
    }
    const matrices: { matrix: ExampleMatrix; file: string }[] = [];
    for (const file of simFiles) {
      const { matrix } = await readMatrixFile(file);
      checkPrimary(matrix, primaryIds, file);
      matrices.push({ matrix, file });
    }
    let analyses: GeodesicAnalysis[] = [];
    if (geodesicFile) {
      const { matrix: geodesic } = await readMatrixFile(geodesicFile);
      checkPrimary(geodesic, primaryIds, geodesicFile);
      const started = performance.now();
      analyses = analyzeGeodesics(matrices, geodesic, { bins: config.bins, components: config.components });
      results.geodesic = analyses.map(({ scatter: _scatter, ...summary }) => summary);
      for (const a of analyses) log.info(`${a.measure} (${a.source}) vs geodesic distance over ${a.pairs} pairs: Pearson ${a.pearson.toFixed(4)}, Spearman ${a.spearman.toFixed(4)}`);
      log.info(`geodesic analysis in ${((performance.now() - started) / 1000).toFixed(2)} s`);
    }
    const provenanceFiles = [
      options.datasetFile, ...(geodesicFile ? [geodesicFile] : []), ...(hasTraining ? [trainMetricsFile!] : []), ...simFiles, ...(await arrowFilesIn(options.clusterDir)),
    ];
    // SHA-256 of every file the report read (all of them are functions of their inputs: no wall-clock time is in any).
    results.metadata = { files: await Promise.all(provenanceFiles.map(readProvenance)), reportInputs: meta.inputs };

    const figures = await makeFigures(results, config, dataset, matrices, analyses, records);
    results.figures = figures.map(({ svg: _svg, ...ref }) => ref);
    for (const f of figures) await writeFileAtomic(join(dir, f.file), f.svg);
    await writeFileAtomic(join(dir, 'results.json'), JSON.stringify(results, null, 2) + '\n');
    await writeFileAtomic(join(dir, 'report.md'), pipelineMarkdown(results));
    await writeFileAtomic(join(dir, 'report.html'), pipelineHtml(results, figures.map((f) => f.svg)));
    log.info(`${figures.length} figures, report.md and report.html`);
    return results;
  });
}
