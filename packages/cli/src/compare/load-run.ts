import { existsSync, readdirSync, statSync } from 'node:fs';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { ElasticityError, readJsonFile } from '@elasticity/core';
import type { MetricValue } from './flatten-metrics.ts';
import { flattenParams, isPlainObject, pipelineSections } from './flatten-params.ts';
import { gitFileText, gitObjectType } from './git-file.ts';
import { readRunDocument } from './run-document.ts';
import type { RunDocument } from './run-document.ts';

export interface LoadRunOptions {
  /** Folder the reference is read from (paths, pipelines/, git). */
  cwd: string;
  /** Root of stage outputs, relative to cwd unless absolute (a NAME is DATA/NAME/report/results.json). */
  dataRoot: string;
}

/** One side of a comparison. */
export interface LoadedRun {
  ref: string;
  /** The results file read: a path relative to cwd, or REV:PATH. */
  file: string;
  kind: RunDocument['kind'];
  pipeline: string | undefined;
  /**
   * Where the pipeline params came from: "results.json" (the effective
   * sections the run recorded), a pipeline file (its effective sections,
   * see paramsEffective), or null when neither exists.
   */
  paramsFrom: string | null;
  /** Whether params are effective sections (defaults applied): false for a matrix pipeline file, or one today's stages do not read, taken as written. */
  paramsEffective: boolean;
  /** Flattened params; undefined when the run has none (see paramsFrom). */
  params: Map<string, unknown> | undefined;
  metrics: Map<string, MetricValue>;
}

export const REFERENCE_FORMS = 'a results.json file, a folder holding results.json (e.g. data/NAME/report), '
  + 'a pipeline name NAME (DATA/NAME/report/results.json, or DATA/NAME/matrix-report/results.json for a matrix pipeline), or REV:PATH for a file at a git revision (e.g. HEAD~1:results.json)';

/** Where a reference's results are, and how to find its pipeline file at the same place. */
interface Located {
  file: string;
  read(): Promise<unknown>;
  pipelineFile(name: string): Promise<{ file: string; value: unknown } | undefined>;
  /** For a NAME reference: pipelines/NAME.json, whatever results.json calls the pipeline. */
  pipelineName?: string;
}

/** Where a pipeline NAME's results are, in DATA/NAME: a plain pipeline's report, else a matrix pipeline's combined report. */
const NAME_REPORT_FOLDERS = ['report', 'matrix-report'];

const GIT_REFERENCE = /^([^:]+):(.*)$/;

/** A pipeline name that stays inside pipelines/ (names may hold '/' for subfolders). */
function safePipelineName(name: string): boolean {
  return name !== '' && !isAbsolute(name) && !name.split(/[\\/]/).includes('..');
}

function parseJsonText(text: string, file: string): unknown {
  try {
    return JSON.parse(text);
  } catch (cause) {
    throw new ElasticityError(`not valid JSON (${(cause as Error).message})`, { file, cause });
  }
}

/** A path as shown: relative to cwd when inside it, else absolute. */
function shown(absFile: string, cwd: string): string {
  const rel = relative(cwd, absFile);
  return rel === '' || rel.startsWith('..') || isAbsolute(rel) ? absFile : rel;
}

function workingTree(absFile: string, cwd: string, pipelineName?: string): Located {
  return {
    file: shown(absFile, cwd),
    pipelineName,
    read: () => readJsonFile(absFile),
    pipelineFile: async (name) => {
      const file = join(cwd, 'pipelines', `${name}.json`);
      if (!existsSync(file)) return undefined;
      return { file: relative(cwd, file), value: await readJsonFile(file) };
    },
  };
}

async function atRevision(ref: string, rev: string, path: string, cwd: string): Promise<Located> {
  let spec = `${rev}:${path}`;
  const object = await gitObjectType(spec, cwd, ref);
  if ('type' in object && object.type === 'tree') spec = `${rev}:${path === '' ? '' : path.replace(/\/+$/, '') + '/'}results.json`;
  return {
    file: spec,
    read: async () => parseJsonText(await gitFileText(spec, cwd, ref), spec),
    pipelineFile: async (name) => {
      // ./ makes git read the path from cwd, as pipelines/ is for a working-tree reference.
      const pipelineSpec = `${rev}:./pipelines/${name}.json`;
      const found = await gitObjectType(pipelineSpec, cwd, ref);
      if (!('type' in found) || found.type !== 'blob') return undefined;
      const file = `${rev}:pipelines/${name}.json`;
      return { file, value: parseJsonText(await gitFileText(pipelineSpec, cwd, ref), file) };
    },
  };
}

function statOf(path: string): 'file' | 'dir' | undefined {
  try {
    const s = statSync(path);
    return s.isDirectory() ? 'dir' : 'file';
  } catch {
    return undefined;
  }
}

/** Finds a reference: an existing file or folder, then REV:PATH, then a pipeline name. */
async function locate(ref: string, options: LoadRunOptions): Promise<Located> {
  const { cwd } = options;
  if (ref.trim() === '') throw new ElasticityError(`empty run reference; give ${REFERENCE_FORMS}`);
  const path = resolve(cwd, ref);
  const kind = statOf(path);
  if (kind === 'file') return workingTree(path, cwd);
  if (kind === 'dir') {
    const file = join(path, 'results.json');
    if (statOf(file) !== 'file') throw new ElasticityError('this folder holds no results.json (a report folder does, e.g. data/NAME/report)', { file: ref });
    return workingTree(file, cwd);
  }
  const git = GIT_REFERENCE.exec(ref);
  if (git) return atRevision(ref, git[1], git[2], cwd);
  if (safePipelineName(ref)) {
    const folder = resolve(cwd, options.dataRoot, ref);
    for (const report of NAME_REPORT_FOLDERS) {
      const file = join(folder, report, 'results.json');
      if (statOf(file) === 'file') return workingTree(file, cwd, ref);
    }
    const filtered = statOf(folder) === 'dir'
      ? readdirSync(folder).filter((f) => f.startsWith('matrix-report-') && statOf(join(folder, f, 'results.json')) === 'file').sort() : [];
    if (filtered.length > 0) {
      throw new ElasticityError(`only filtered matrix reports: give one of their folders: ${filtered.map((f) => shown(join(folder, f), cwd)).join(', ')}`, { file: ref });
    }
    if (existsSync(join(cwd, 'pipelines', `${ref}.json`))) {
      const where = NAME_REPORT_FOLDERS.map((f) => shown(join(folder, f, 'results.json'), cwd)).join(' or ');
      throw new ElasticityError(`pipeline has no report yet (elasticity run ${ref}); looked for ${where}`, { file: ref });
    }
  }
  throw new ElasticityError(`unknown run reference: give ${REFERENCE_FORMS}`, { file: ref });
}

/**
 * Params of a pipeline file, flattened: for a plain pipeline its effective
 * sections (every default applied, as a run records them), so that a
 * pipeline file compares with a results.json; a matrix pipeline (no single
 * set of sections) or one today's stages do not read is taken as written
 * (`effective` false). Throws naming the file when it is not a JSON object.
 */
async function pipelineParams(value: unknown, file: string): Promise<{ params: Map<string, unknown>; effective: boolean }> {
  if (!isPlainObject(value)) throw new ElasticityError('a pipeline must be a JSON object with one section per stage', { file });
  const sections = pipelineSections(value);
  if (!('matrix' in sections)) {
    const { stagesOf } = await import('@elasticity/pipeline');
    const { effectiveSections } = await import('@elasticity/pipeline/schema');
    const copy = structuredClone(sections);
    try {
      return { params: flattenParams(effectiveSections({ name: '', file, sections: copy, stages: stagesOf(copy) })), effective: true };
    } catch (error) {
      if (!(error instanceof ElasticityError)) throw error;
    }
  }
  return { params: flattenParams(sections), effective: false };
}

/**
 * Reads one run reference into flat params and metrics. Params are the
 * `params` sections results.json records; without them, the effective
 * sections of pipelines/PIPELINE.json at the same place (working tree or
 * revision), where PIPELINE is the NAME given or results.json's `pipeline`.
 */
export async function loadRun(ref: string, options: LoadRunOptions): Promise<LoadedRun> {
  const located = await locate(ref, options);
  const doc = readRunDocument(await located.read(), located.file);
  let params = doc.params;
  let paramsFrom: string | null = params ? 'results.json' : null;
  let paramsEffective = params !== undefined;
  const name = located.pipelineName ?? doc.pipeline;
  if (!params && doc.kind !== 'all' && name !== undefined && safePipelineName(name)) {
    const pipeline = await located.pipelineFile(name);
    if (pipeline) {
      const read = await pipelineParams(pipeline.value, pipeline.file);
      params = read.params;
      paramsFrom = pipeline.file;
      paramsEffective = read.effective;
    }
  }
  if (doc.ownParams.size > 0) params = new Map([...doc.ownParams, ...(params ?? [])]);
  return { ref, file: located.file, kind: doc.kind, pipeline: doc.pipeline, paramsFrom, paramsEffective, params, metrics: doc.metrics };
}
