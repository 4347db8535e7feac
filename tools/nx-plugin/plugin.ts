import { readdirSync, statSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import type { CreateNodesV2, TargetConfiguration } from 'nx/src/devkit-exports.js';
import { hashJson } from '@elasticity/core';
import { readPipeline, sectionHash, presentUpstream, stageDir, DEFAULT_DATA_ROOT } from '@elasticity/cli/pipeline';
import type { Pipeline, StageSpec } from '@elasticity/cli/pipeline';
import { parseIngestConfig } from '@elasticity/datasets';

/**
 * Turns every pipelines/NAME.json into an Nx project NAME whose targets are
 * the pipeline's stages. Each target's command carries the hash of its own
 * section, so editing one section misses the cache of that stage only; its
 * downstream stages re-run only if the upstream output bytes changed (their
 * inputs hash the upstream output files).
 */
export const createNodesV2: CreateNodesV2 = [
  'pipelines/*.json',
  async (files, _options, context) =>
    files.map((file) => {
      const pipeline = readPipeline(join(context.workspaceRoot, file));
      return [file, { projects: { [`pipelines/${pipeline.name}`]: projectFor(pipeline, file) } }];
    }),
];

const CLI = 'node --import tsx packages/cli/src/bin.ts';

export function projectFor(pipeline: Pipeline, file: string) {
  const targets: Record<string, TargetConfiguration> = {};
  for (const spec of pipeline.stages) targets[spec.name] = targetFor(pipeline, file, spec);
  return { name: pipeline.name, targets, tags: ['pipeline'] };
}

function targetFor(pipeline: Pipeline, file: string, spec: StageSpec): TargetConfiguration {
  const upstream = presentUpstream(pipeline, spec.name);
  const rawData = spec.name === 'ingest' ? rawDataFingerprint(pipeline) : '';
  const command = `${CLI} ${spec.name} --pipeline ${file} --section-hash ${sectionHash(pipeline, spec.name)}${rawData}`;
  return {
    executor: 'nx:run-commands',
    options: { command },
    cache: true,
    dependsOn: upstream,
    inputs: [
      `{workspaceRoot}/${spec.packageDir}/src/**/*.ts`,
      `!{workspaceRoot}/${spec.packageDir}/src/**/*.test.ts`,
      '{workspaceRoot}/packages/core/src/**/*.ts',
      '!{workspaceRoot}/packages/core/src/**/*.test.ts',
      `{workspaceRoot}/packages/cli/src/commands/${spec.name}.ts`,
      '{workspaceRoot}/packages/cli/src/pipeline/**/*.ts',
      ...rawDataInputs(pipeline, spec),
      { externalDependencies: spec.externalDependencies },
      ...(upstream.length > 0 ? [{ dependentTasksOutputFiles: '**/*', transitive: true }] : []),
    ],
    outputs: [`{workspaceRoot}/${stageDir(DEFAULT_DATA_ROOT, pipeline.name, spec.name)}`],
    metadata: { description: `${spec.name} stage of pipeline ${pipeline.name} (section "${spec.section}")` },
  };
}

/** The raw data folder the ingest stage will read (its default when the section names none). */
function rawDataPath(pipeline: Pipeline): string | null {
  try {
    const config = parseIngestConfig(pipeline.sections.dataset, pipeline.file);
    return 'path' in config ? config.path : null;
  } catch {
    return null; // the ingest stage itself reports the bad section when it runs
  }
}

/** A raw data folder inside the workspace is hashed by Nx as an input of ingest. */
function rawDataInputs(pipeline: Pipeline, spec: StageSpec): string[] {
  const path = spec.name === 'ingest' ? rawDataPath(pipeline) : null;
  if (path === null || isAbsolute(path)) return [];
  return [`{workspaceRoot}/${path.replace(/\/+$/, '')}/**/*`];
}

/**
 * A raw data folder outside the workspace (e.g. /usr/share/datasets/...) cannot
 * be an Nx input: its file names, sizes and times go into the command instead.
 */
function rawDataFingerprint(pipeline: Pipeline): string {
  const path = rawDataPath(pipeline);
  if (path === null || !isAbsolute(path)) return '';
  try {
    const entries = readdirSync(path).sort().map((name) => {
      const st = statSync(join(path, name));
      return [name, st.size, st.mtimeMs];
    });
    return ` --raw-fingerprint ${hashJson(entries)}`;
  } catch {
    return ' --raw-fingerprint missing';
  }
}
