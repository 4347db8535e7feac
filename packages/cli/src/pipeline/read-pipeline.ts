import { basename, join, resolve } from 'node:path';
import { ElasticityError, readJsonFileSync, suggestName } from '@elasticity/core';
import { SECTION_KEYS, STAGES } from './stages.ts';
import type { StageName, StageSpec } from './stages.ts';

export interface Pipeline {
  /** Project name: the file name without .json. */
  name: string;
  file: string;
  sections: Record<string, unknown>;
  /** Stages present in this pipeline (optional stages whose section is absent are left out). */
  stages: StageSpec[];
}

export const PIPELINE_NAME = /^[a-z0-9][a-z0-9._-]*$/i;

/** pipelines/NAME.json for a bare NAME, else the path as given. */
export function resolvePipelineFile(nameOrFile: string, root = process.cwd()): string {
  if (nameOrFile.endsWith('.json') || nameOrFile.includes('/')) return resolve(root, nameOrFile);
  return join(root, 'pipelines', `${nameOrFile}.json`);
}

/** Reads and checks the top level of a pipeline file (each stage validates its own section). */
export function readPipeline(file: string): Pipeline {
  const parsed = readJsonFileSync(file);
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new ElasticityError('a pipeline must be a JSON object with one section per stage', { file });
  }
  const sections = parsed as Record<string, unknown>;
  for (const key of Object.keys(sections)) {
    if (key === '$schema' || key === 'description' || SECTION_KEYS.includes(key)) continue;
    const suggestion = suggestName(key, SECTION_KEYS);
    throw new ElasticityError(`unknown section${suggestion ? ` (did you mean "${suggestion}"?)` : ''}; sections are ${SECTION_KEYS.join(', ')}`, { file, field: key });
  }
  const name = basename(file, '.json');
  if (!PIPELINE_NAME.test(name)) throw new ElasticityError('pipeline file name must be letters, digits, ".", "_" or "-"', { file });
  const stages = STAGES.filter((s) => sections[s.section] !== undefined || !s.optional);
  for (const spec of stages) {
    if (sections[spec.section] === undefined) sections[spec.section] = {};
  }
  return { name, file, sections, stages };
}

/** The stages a stage reads from that are present in this pipeline. */
export function presentUpstream(pipeline: Pipeline, stage: StageName): StageName[] {
  const spec = STAGES.find((s) => s.name === stage)!;
  return spec.upstream.filter((u) => pipeline.stages.some((s) => s.name === u));
}
