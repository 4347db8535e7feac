import { existsSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import {
  ElasticityError, MATRIX_CONTRACT, NEIGHBOURS_CONTRACT, contractOfTable, matrixRowsWithin, primaryIndices, readArrowSchema, readDatasetFile, readMatrixFile,
  readMatrixRowBlocks, readModelInfo, readNeighboursFile, readTrainingMetricsFile, runStage, writeFileAtomic,
} from '@elasticity/core';
import type { Dataset, EpochRecord, ExampleMatrix } from '@elasticity/core';
import { readClusterMetrics } from './results.ts';
import { parseReportConfig } from './report-config.ts';
import type { ReportConfig } from './report-config.ts';
import { analyzeGeodesics } from './geodesic-analysis.ts';
import type { GeodesicAnalysis } from './geodesic-analysis.ts';
import { readProvenance } from './run-metadata.ts';
import { readRunEnvironment } from './run-environment.ts';
import { HeatmapSums, heatmapPanel } from './figures/similarity-heatmap.ts';
import type { HeatmapPanel } from './figures/similarity-heatmap.ts';
import { chanceAccuracy, majorityFraction } from './chance.ts';
import { pipelineFigures } from './pipeline-figures.ts';
import type { HeatmapFigureInput } from './pipeline-figures.ts';
import { pipelineHtml, pipelineMarkdown } from './pipeline-page.ts';
import { plural } from './plural.ts';
import { elasticityRatioOf } from './elasticity-ratio.ts';
import type { PipelineResults } from './pipeline-results.ts';
import { summarizeNeighbours } from './neighbours-gallery.ts';
import { neighboursSectionHtml } from './neighbours-html.ts';

export { parseReportConfig };
export type { ReportConfig, PipelineResults };

/** Matrices of the similarity stage set against geodesic distance, in the order the report prefers them (the heatmaps draw every matrix). */
export const SIMILARITY_MATRICES = ['relative', 'kernelized', 'ntk'] as const;

export interface ReportOptions {
  config: unknown;
  pipelineFile: string;
  pipelineName: string;
  datasetFile: string;
  /** The train stage's output folder, when the pipeline trains a model. */
  trainDir?: string;
  /** The similarity stage's output folder (similarity matrices and baseline feature files). */
  similarityDir?: string;
  /** geodesic.arrow of the ingest stage (synthetic data). */
  geodesicFile?: string;
  /** The cluster stage's output folder, when the pipeline clusters. */
  clusterDir?: string;
  outDir: string;
  /** The effective pipeline sections of this run, written into results.json as `params` (for `elasticity compare`). */
  params?: Record<string, unknown>;
}

/**
 * The similarity stage's outputs by contract: every matrix file (relative,
 * kernelized, ntk first, then the others by name), the elastic neighbours
 * files and the names of the feature files (baselines).
 */
async function similarityOutputs(dir: string | undefined): Promise<{ matrices: string[]; neighbours: string[]; features: string[] }> {
  if (!dir || !existsSync(dir)) return { matrices: [], neighbours: [], features: [] };
  const names = (await readdir(dir)).filter((f) => f.endsWith('.arrow')).map((f) => f.slice(0, -'.arrow'.length));
  const rank = (name: string) => {
    const k = (SIMILARITY_MATRICES as readonly string[]).indexOf(name);
    return k < 0 ? SIMILARITY_MATRICES.length : k;
  };
  names.sort((a, b) => rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0));
  const matrices: string[] = [], neighbours: string[] = [], features: string[] = [];
  for (const name of names) {
    const file = join(dir, `${name}.arrow`);
    // from the schema alone: a kernel file can be larger than memory
    const contract = contractOfTable({ schema: await readArrowSchema(file) });
    if (contract === MATRIX_CONTRACT) matrices.push(file);
    else if (contract === NEIGHBOURS_CONTRACT) neighbours.push(file);
    else features.push(name);
  }
  // neighbours-relative before neighbours-kernelized, as the matrices.
  neighbours.sort((a, b) => rank(a.slice(dir.length + 1 + 'neighbours-'.length, -'.arrow'.length)) - rank(b.slice(dir.length + 1 + 'neighbours-'.length, -'.arrow'.length)));
  return { matrices, neighbours, features };
}

async function arrowFilesIn(dir: string | undefined): Promise<string[]> {
  if (!dir || !existsSync(dir)) return [];
  return (await readdir(dir)).filter((f) => f.endsWith('.arrow')).sort().map((f) => join(dir, f));
}

/** Checks that a similarity matrix is over the dataset's primary examples in dataset order. */
function checkPrimary(m: Pick<ExampleMatrix, 'rowIds' | 'columnIds'>, primaryIds: Int32Array, file: string): void {
  const same = (a: Int32Array) => a.length === primaryIds.length && a.every((v, i) => v === primaryIds[i]);
  if (!same(m.rowIds) || !same(m.columnIds)) notPrimary(primaryIds, file);
}

function notPrimary(primaryIds: Int32Array, file: string): never {
  throw new ElasticityError(`matrix is not over the ${primaryIds.length} primary examples of the data set in dataset order`, { file, field: 'id' });
}

/**
 * The heatmap panel of a similarity matrix larger than the report's budget,
 * from its file in row blocks of `blockRows` (never held whole): the panel
 * the whole matrix gives, to the bit (HeatmapSums).
 */
async function panelInBlocks(file: string, blockRows: number, primaryIds: Int32Array, heatmap: { classes: ArrayLike<number>; within?: ArrayLike<number>; cells: number }): Promise<HeatmapPanel> {
  const n = primaryIds.length;
  // views of the record batches: HeatmapSums takes rows in order, in blocks of any size, so nothing is copied
  const read = await readMatrixRowBlocks(file, blockRows, n, { views: true });
  const { columnIds, kind } = read.header;
  if (columnIds.length !== n || columnIds.some((v, j) => v !== primaryIds[j])) {
    await read.close();
    notPrimary(primaryIds, file);
  }
  const sums = new HeatmapSums({ kind, n, classes: heatmap.classes, within: heatmap.within }, heatmap.cells);
  for await (const block of read.blocks()) {
    if (block.rowIds.some((v, r) => v !== primaryIds[block.from + r])) notPrimary(primaryIds, file);
    sums.addRows(block.values, block.from, block.to);
  }
  return sums.panel();
}

/** Sizes of the primary classes, in class order. */
function classSizes(dataset: Dataset, rows: number[]): { label: number; size: number }[] {
  const counts = new Map<number, number>();
  for (const i of rows) counts.set(dataset.classes[i], (counts.get(dataset.classes[i]) ?? 0) + 1);
  return [...counts].sort(([a], [b]) => a - b).map(([label, size]) => ({ label, size }));
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
  const similarity = await similarityOutputs(options.similarityDir);
  const simFiles = similarity.matrices;
  const geodesicFile = options.geodesicFile && existsSync(options.geodesicFile) ? options.geodesicFile : undefined;
  const inputFiles = [
    options.datasetFile, ...(geodesicFile ? [geodesicFile] : []), ...(hasTraining ? [trainMetricsFile!] : []), ...simFiles, ...similarity.neighbours,
    ...(metricsFile ? [metricsFile] : []),
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
    const classes = classSizes(dataset, primary);
    if (metricsFile) {
      const metrics = await readClusterMetrics(metricsFile);
      results.results = metrics.results;
      const sizes = classes.map((c) => c.size);
      results.clustering = { k: metrics.k, seeds: metrics.seeds, chance: { accuracy: chanceAccuracy(sizes, { k: metrics.k }), majority: majorityFraction(sizes), classSizes: sizes } };
    }
    let records: EpochRecord[] | undefined;
    if (hasTraining) {
      records = (await readTrainingMetricsFile(trainMetricsFile!)).records;
      const info = await readModelInfo(join(options.trainDir!, 'model'));
      const last = records[records.length - 1];
      results.training = {
        model: info.model, width: info.width, loss: info.loss, epochs: records.length, backend: info.backend, kernel: info.kernel ?? 'tfjs',
        finalLoss: last?.loss ?? NaN, trainAccuracy: last?.trainAccuracy ?? NaN, testAccuracy: last?.testAccuracy ?? NaN,
        lr: info.lr, batch: info.batch, seed: info.seed, activation: info.activation,
      };
    }
    // One matrix in memory at a time, except those the geodesic analysis needs: each is drawn as a panel of block means as soon as it is read.
    const within = dataset.coord && dataset.coordDim ? primary.map((i) => dataset.coord![i * dataset.coordDim!]) : undefined;
    const primaryClasses = primary.map((i) => dataset.classes[i]);
    const heatmaps: HeatmapFigureInput = { panels: [], classes, byCoordinate: within !== undefined, featureInputs: similarity.features };
    const matrices: { matrix: ExampleMatrix; file: string }[] = [];
    // a matrix over the budget is read in row blocks (the panel and ratio are the same); the geodesic analysis needs its matrices whole
    const blockRows = simFiles.length === 0 ? primary.length : matrixRowsWithin(config.memoryMb, {
      columns: primary.length, bytesPerEntry: 16, fixedBytes: dataset.x.byteLength,
    }, { file: options.pipelineFile, field: 'report.memoryMb' });
    const blocked = blockRows < primary.length;
    if (blocked && geodesicFile) {
      throw new ElasticityError(`the geodesic analysis holds every similarity matrix (${primary.length} x ${primary.length}) whole, over the budget: raise report.memoryMb`, { file: options.pipelineFile, field: 'report.memoryMb' });
    }
    if (blocked) log.info(`similarity matrices of ${primary.length} rows read in blocks of up to ${blockRows} rows (report.memoryMb ${config.memoryMb})`);
    for (const file of simFiles) {
      let panel: HeatmapPanel;
      if (blocked) {
        panel = await panelInBlocks(file, blockRows, primaryIds, { classes: primaryClasses, within, cells: config.heatmapCells });
      } else {
        const { matrix } = await readMatrixFile(file);
        checkPrimary(matrix, primaryIds, file);
        panel = heatmapPanel({ kind: matrix.kind, n: primary.length, values: matrix.values, classes: primaryClasses, within }, config.heatmapCells);
        if (geodesicFile && (SIMILARITY_MATRICES as readonly string[]).includes(matrix.kind)) matrices.push({ matrix, file });
      }
      heatmaps.panels.push(panel);
      (results.elasticity ??= []).push({ source: panel.kind, ...elasticityRatioOf(panel.sameClass, panel.otherClass) });
    }
    let analyses: GeodesicAnalysis[] = [];
    if (geodesicFile) {
      const { matrix: geodesic } = await readMatrixFile(geodesicFile);
      checkPrimary(geodesic, primaryIds, geodesicFile);
      const started = performance.now();
      analyses = analyzeGeodesics(matrices, geodesic, { bins: config.bins, components: config.components });
      results.geodesic = analyses.map(({ scatter: _scatter, ...summary }) => summary);
      for (const a of analyses) log.info(`${a.measure} (${a.source}) vs geodesic distance over ${plural(a.pairs, 'pair')}: Pearson ${a.pearson.toFixed(4)}, Spearman ${a.spearman.toFixed(4)}`);
      log.info(`geodesic analysis in ${((performance.now() - started) / 1000).toFixed(2)} s`);
    }
    let neighboursHtml: string | undefined;
    if (similarity.neighbours.length > 0) {
      const known = new Set(primaryIds);
      results.neighbours = [];
      for (const file of similarity.neighbours) {
        const { neighbours } = await readNeighboursFile(file);
        const stray = [...neighbours.ids, ...neighbours.neighbourIds].find((id) => !known.has(id));
        if (stray !== undefined) throw new ElasticityError(`id ${stray} is not a primary example of the data set ${options.datasetFile}`, { file, field: 'id' });
        const summary = summarizeNeighbours(neighbours, dataset);
        results.neighbours.push(summary);
        log.info(`neighbours (${summary.kind}, k = ${summary.k}): ${(100 * summary.sameClassTop).toFixed(1)}% of the most moved share the example's class, ${(100 * summary.sameClassBottom).toFixed(1)}% of the least moved`);
      }
      neighboursHtml = neighboursSectionHtml(results.neighbours, dataset, primary);
    }
    const provenanceFiles = [
      options.datasetFile, ...(geodesicFile ? [geodesicFile] : []), ...(hasTraining ? [trainMetricsFile!] : []), ...simFiles, ...similarity.neighbours,
      ...(await arrowFilesIn(options.clusterDir)),
    ];
    // SHA-256 of every file the report read (all of them are functions of their inputs: no wall-clock time is in any).
    results.metadata = { files: await Promise.all(provenanceFiles.map(readProvenance)), reportInputs: meta.inputs, environment: await readRunEnvironment() };

    const figures = await pipelineFigures(results, analyses, heatmaps, records);
    results.figures = figures.map(({ svg: _svg, ...ref }) => ref);
    for (const f of figures) await writeFileAtomic(join(dir, f.file), f.svg);
    await writeFileAtomic(join(dir, 'results.json'), JSON.stringify(results, null, 2) + '\n');
    await writeFileAtomic(join(dir, 'report.md'), pipelineMarkdown(results));
    await writeFileAtomic(join(dir, 'report.html'), pipelineHtml(results, figures.map((f) => f.svg), neighboursHtml));
    log.info(`${plural(figures.length, 'figure')}, report.md and report.html`);
    return results;
  });
}
