import { parseIngestConfig } from '@elasticity/datasets';
import { parseTrainConfig } from '@elasticity/training';
import { parseProbeConfig } from '@elasticity/probing';
import { parseNtkConfig } from '@elasticity/ntk';
import { parseSimilarityConfig } from '@elasticity/similarity';
import { parseClusterConfig } from '@elasticity/clustering';
import { parseReportConfig } from '@elasticity/report';
import type { Pipeline } from './read-pipeline.ts';

/** Each section's validator: the stage package's own parser (defaults, types, ranges, unknown keys). */
const PARSERS: Record<string, (section: unknown, file: string) => unknown> = {
  dataset: parseIngestConfig,
  train: parseTrainConfig,
  probe: parseProbeConfig,
  ntk: parseNtkConfig,
  similarity: parseSimilarityConfig,
  cluster: parseClusterConfig,
  report: parseReportConfig,
};

/**
 * Checks every section of a pipeline before anything runs, so a typo in the
 * last section fails in a second instead of after training. Throws the first
 * section's ElasticityError (file, JSON path, allowed values).
 */
export function validatePipeline(pipeline: Pipeline): void {
  for (const spec of pipeline.stages) PARSERS[spec.section](pipeline.sections[spec.section], pipeline.file);
}
