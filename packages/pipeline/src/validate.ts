import { ElasticityError } from '@elasticity/core';
import { SECTION_PARSERS } from './pipeline-schema.ts';
import { planPipeline } from './plan.ts';
import type { Pipeline } from './read-pipeline.ts';

/** Each section through its stage package's own parser (zod schema: defaults, types, ranges, unknown keys). */
function validateSections(pipeline: Pipeline): void {
  for (const spec of pipeline.stages) SECTION_PARSERS.find((p) => p.section === spec.section)!(pipeline.sections[spec.section], pipeline.file);
}

/**
 * Checks every section of a pipeline (of a matrix pipeline: of every
 * combination) before anything runs, so a typo in the last section fails in
 * a second instead of after training. Throws the first section's
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
