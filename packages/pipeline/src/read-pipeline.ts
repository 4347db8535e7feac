import { existsSync, readdirSync } from 'node:fs';
import { basename, join, resolve, sep } from 'node:path';
import { ElasticityError, createLogger, readJsonFileSync, suggestName } from '@elasticity/core/light';
import { parseMatrix } from './matrix.ts';
import type { MatrixAxis } from './matrix.ts';
import { SECTION_KEYS, STAGES } from './stages.ts';
import type { StageName, StageSpec } from './stages.ts';

export interface Pipeline {
  /** Project name: the file's path under pipelines/ without .json (e.g. "default", "paper/mnist-table1"). */
  name: string;
  file: string;
  /** The sections (of a matrix pipeline: the base every combination overrides). */
  sections: Record<string, unknown>;
  /** Stages present in this pipeline (optional stages whose section is absent are left out). */
  stages: StageSpec[];
  /** The axes of a matrix pipeline (see matrix.ts); absent for a plain pipeline. */
  matrix?: MatrixAxis[];
}

/** One name segment; names of pipelines in subfolders of pipelines/ join segments with "/". */
export const PIPELINE_NAME = /^[a-z0-9][a-z0-9._-]*$/i;
const TOP_LEVEL_KEYS = ['$schema', 'description', 'matrix'];

/**
 * pipelines/NAME.json for a NAME (which may contain "/" for subfolders), else
 * the .json path as given. A NAME with no file is an error listing the
 * pipelines there are.
 */
export function resolvePipelineFile(nameOrFile: string, root = process.cwd()): string {
  if (nameOrFile.endsWith('.json')) return resolve(root, nameOrFile);
  const file = join(root, 'pipelines', `${nameOrFile}.json`);
  if (!existsSync(file)) {
    const names = pipelineNames(root);
    throw new ElasticityError(`no pipeline "${nameOrFile}"; ${names.length > 0 ? `the pipelines are: ${names.join(', ')}` : 'pipelines/ holds none'}`, { file });
  }
  return file;
}

/** The names of the pipeline files under ROOT/pipelines (subfolders give FOLDER/NAME), sorted; schema files are not pipelines. */
export function pipelineNames(root = process.cwd()): string[] {
  const names: string[] = [];
  const visit = (folder: string, prefix: string) => {
    if (!existsSync(folder)) return;
    for (const entry of readdirSync(folder, { withFileTypes: true })) {
      if (entry.isDirectory()) visit(join(folder, entry.name), `${prefix}${entry.name}/`);
      else if (entry.name.endsWith('.json') && !entry.name.endsWith('.schema.json')) names.push(prefix + entry.name.slice(0, -'.json'.length));
    }
  };
  visit(join(root, 'pipelines'), '');
  return names.sort();
}

/** The pipeline name of a file: its path under the nearest enclosing pipelines/ folder, else its base name. */
function pipelineName(file: string): string {
  const marker = `${sep}pipelines${sep}`;
  const path = resolve(file);
  const at = path.lastIndexOf(marker);
  const rel = at >= 0 ? path.slice(at + marker.length) : basename(path);
  return rel.replace(/\.json$/, '').split(sep).join('/');
}

/** The stages of a set of sections: every required stage, and optional ones whose section is present (absent required sections become {}). */
export function stagesOf(sections: Record<string, unknown>): StageSpec[] {
  const stages = STAGES.filter((s) => (sections[s.section] !== undefined && sections[s.section] !== null) || !s.optional);
  for (const spec of stages) {
    if (sections[spec.section] === undefined || sections[spec.section] === null) sections[spec.section] = {};
  }
  return stages;
}

/** Reads and checks the top level of a pipeline file (each stage validates its own section). */
export function readPipeline(file: string): Pipeline {
  const parsed = readJsonFileSync(file);
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new ElasticityError('a pipeline must be a JSON object with one section per stage', { file });
  }
  const { matrix: rawMatrix, ...sections } = parsed as Record<string, unknown>;
  for (const key of Object.keys(sections)) {
    if (TOP_LEVEL_KEYS.includes(key) || SECTION_KEYS.includes(key)) continue;
    const suggestion = suggestName(key, [...SECTION_KEYS, ...TOP_LEVEL_KEYS]);
    throw new ElasticityError(`unknown section${suggestion ? ` (did you mean "${suggestion}"?)` : ''}; sections are ${SECTION_KEYS.join(', ')} (and ${TOP_LEVEL_KEYS.join(', ')})`, { file, field: key });
  }
  delete sections.$schema;
  delete sections.description;
  const name = pipelineName(file);
  if (!name.split('/').every((segment) => PIPELINE_NAME.test(segment))) {
    throw new ElasticityError('pipeline file and folder names must be letters, digits, ".", "_" or "-"', { file });
  }
  const matrix = rawMatrix === undefined ? undefined : parseMatrix(rawMatrix, SECTION_KEYS, file);
  const stages = stagesOf(sections);
  return { name, file, sections, stages, ...(matrix ? { matrix } : {}) };
}

/**
 * `work` on one pipeline file, or undefined when the file does not read (bad
 * JSON, an unknown section, a bad matrix: an ElasticityError), after one
 * warning naming it: what reads every pipeline (the Nx plugin, `report
 * --all`) leaves a broken file out instead of failing for all the others.
 */
export function skipBrokenPipeline<T>(work: () => T): T | undefined {
  try {
    return work();
  } catch (error) {
    if (!(error instanceof ElasticityError)) throw error;
    createLogger('pipelines').warn(`${error.message} (this pipeline is left out; the others run)`);
    return undefined;
  }
}

/** The stages a stage reads from that are present in this pipeline. */
export function presentUpstream(pipeline: Pipeline, stage: StageName): StageName[] {
  const spec = STAGES.find((s) => s.name === stage)!;
  return spec.upstream.filter((u) => pipeline.stages.some((s) => s.name === u));
}
