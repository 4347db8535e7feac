import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ElasticityError, readDatasetFile, readModelInfo, readTrainingMetricsFile, runStage, writeFileAtomic } from '@elasticity/core';
import { readClusterMetrics } from './results.ts';
import type { ClusterResult } from './results.ts';
import { formatResultsMarkdown } from './table.ts';

export interface ReportConfig {
  title?: string;
}

export function parseReportConfig(section: unknown, file: string): ReportConfig {
  const s = (section ?? {}) as Record<string, unknown>;
  if (typeof s !== 'object' || Array.isArray(s)) throw new ElasticityError('must be an object', { file, field: 'report' });
  for (const key of Object.keys(s)) {
    if (key !== 'title') throw new ElasticityError(`unknown key (allowed: title)`, { file, field: `report.${key}` });
  }
  if (s.title !== undefined && typeof s.title !== 'string') throw new ElasticityError('must be a string', { file, field: 'report.title' });
  return { title: s.title as string | undefined };
}

/** What one pipeline run produced: written as results.json and read by `run` and cross-run reports. */
export interface PipelineResults {
  pipeline: string;
  title: string;
  dataset: { name: string; examples: number; primary: number };
  training?: {
    model: string; width: unknown; loss: string; epochs: number; backend: unknown;
    finalLoss: number; trainAccuracy: number; testAccuracy: number; seconds: number;
  };
  results: ClusterResult[];
}

export interface ReportOptions {
  config: unknown;
  pipelineFile: string;
  pipelineName: string;
  datasetFile: string;
  /** The train stage's output folder, when the pipeline trains a model. */
  trainDir?: string;
  clusterDir: string;
  outDir: string;
}

/** Collects one pipeline's results into results.json and report.md. */
export async function runReport(options: ReportOptions): Promise<PipelineResults> {
  const config = parseReportConfig(options.config, options.pipelineFile);
  const metricsFile = join(options.clusterDir, 'metrics.json');
  const trainMetricsFile = options.trainDir ? join(options.trainDir, 'metrics.arrow') : undefined;
  const inputFiles = [options.datasetFile, metricsFile, ...(trainMetricsFile && existsSync(trainMetricsFile) ? [trainMetricsFile] : [])];
  return runStage({ stage: 'report', outDir: options.outDir, params: { ...config }, seed: null, inputFiles }, async ({ dir }) => {
    const { dataset } = await readDatasetFile(options.datasetFile);
    const metrics = await readClusterMetrics(metricsFile);
    const results: PipelineResults = {
      pipeline: options.pipelineName,
      title: config.title ?? `${options.pipelineName}: ${dataset.name}`,
      dataset: { name: dataset.name, examples: dataset.ids.length, primary: dataset.roles.filter((r) => r === 'primary').length },
      results: metrics.results,
    };
    if (options.trainDir && trainMetricsFile && existsSync(trainMetricsFile)) {
      const { records } = await readTrainingMetricsFile(trainMetricsFile);
      const info = await readModelInfo(join(options.trainDir, 'model'));
      const last = records[records.length - 1];
      results.training = {
        model: info.model, width: info.width, loss: info.loss, epochs: records.length, backend: info.backend,
        finalLoss: last?.loss ?? NaN, trainAccuracy: last?.trainAccuracy ?? NaN, testAccuracy: last?.testAccuracy ?? NaN,
        seconds: records.reduce((s, r) => s + r.seconds, 0),
      };
    }
    await writeFileAtomic(join(dir, 'results.json'), JSON.stringify(results, null, 2) + '\n');
    await writeFileAtomic(join(dir, 'report.md'), renderMarkdown(results));
    return results;
  });
}

function renderMarkdown(r: PipelineResults): string {
  const lines = [`# ${r.title}`, '', `Data: ${r.dataset.name} — ${r.dataset.examples} examples, ${r.dataset.primary} primary (clustered).`, ''];
  if (r.training) {
    const t = r.training;
    lines.push(
      `Model: ${t.model} (width ${t.width}, ${t.loss} loss, ${t.epochs} epochs, backend ${t.backend}); final loss ${t.finalLoss.toFixed(4)}, ` +
        `train accuracy ${t.trainAccuracy.toFixed(4)}${t.testAccuracy >= 0 ? `, held-out accuracy ${t.testAccuracy.toFixed(4)}` : ''}, ${t.seconds.toFixed(1)} s.`,
      '',
    );
  }
  lines.push('Clustering of the primary examples (mean ± sd over seeds):', '', formatResultsMarkdown(r.results), '');
  return lines.join('\n');
}
