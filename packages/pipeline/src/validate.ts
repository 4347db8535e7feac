import { ElasticityError } from '@elasticity/core';
import { effectiveSections } from './pipeline-schema.ts';
import { checkAcrossSections } from './cross-checks.ts';
import type { ParsedSections } from './cross-checks.ts';
import { planPipeline } from './plan.ts';
import type { Pipeline } from './read-pipeline.ts';

/**
 * One pipeline (or matrix combination): each section through its stage
 * package's parser (zod schema: defaults, types, ranges, unknown keys), then
 * the rules between sections and against the data (cross-checks.ts).
 */
function validateSections(pipeline: Pipeline): void {
  checkAcrossSections(effectiveSections(pipeline) as unknown as ParsedSections, pipeline.file);
}

/**
 * Checks every section of a pipeline (of a matrix pipeline: of every
 * combination) before anything runs, so a typo in the last section, a
 * clustering input no stage writes or a perClass the data set cannot give
 * fails in a second instead of after training. Throws the first
 * ElasticityError (file, JSON path, allowed values; for a matrix also the
 * combination).
 */
export function validatePipeline(pipeline: Pipeline): void {
  if (!pipeline.matrix) {
    validateSections(pipeline);
    return;
  }
  for (const combo of planPipeline(pipeline).combos) {
    try {
      validateSections(combo.pipeline);
    } catch (error) {
      if (!(error instanceof ElasticityError)) throw error;
      const prefix = [error.file, error.field].filter(Boolean).join(': ');
      const message = error.message.startsWith(`${prefix}: `) ? error.message.slice(prefix.length + 2) : error.message;
      throw new ElasticityError(`${message} (in matrix combination ${combo.id}: ${JSON.stringify(combo.labels)})`, { file: error.file, field: error.field, cause: error });
    }
  }
}
