import { join } from 'node:path';
import type { CreateNodesV2, TargetConfiguration } from 'nx/src/devkit-exports.js';
import { readPipeline, presentUpstream, stageDir, DEFAULT_DATA_ROOT } from '@elasticity/cli/pipeline';
import type { Pipeline, StageSpec } from '@elasticity/cli/pipeline';

/**
 * Turns every pipelines/NAME.json into an Nx project NAME whose targets are
 * the pipeline's stages (the DAG of packages/cli/src/pipeline/stages.ts).
 *
 * Cache keys: Nx hashes the whole project configuration into every target,
 * so the configuration holds nothing that depends on section contents. Each
 * target instead has a `runtime` input (stage-key.ts) that prints its own
 * section: editing one section misses that stage's cache only. Downstream
 * stages hash the upstream output files, so they re-run only when those bytes
 * changed.
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
const STAGE_KEY = 'node --import tsx tools/nx-plugin/print-stage-key.ts';

export function projectFor(pipeline: Pipeline, file: string) {
  const targets: Record<string, TargetConfiguration> = {};
  for (const spec of pipeline.stages) targets[spec.name] = targetFor(pipeline, file, spec);
  return { name: pipeline.name, targets, tags: ['pipeline'] };
}

function targetFor(pipeline: Pipeline, file: string, spec: StageSpec): TargetConfiguration {
  const upstream = presentUpstream(pipeline, spec.name);
  return {
    executor: 'nx:run-commands',
    options: { command: `${CLI} ${spec.name} --pipeline ${file}` },
    cache: true,
    dependsOn: upstream,
    inputs: [
      { runtime: `${STAGE_KEY} ${file} ${spec.name}` },
      `{workspaceRoot}/${spec.packageDir}/src/**/*.ts`,
      `!{workspaceRoot}/${spec.packageDir}/src/**/*.test.ts`,
      '{workspaceRoot}/packages/core/src/**/*.ts',
      '!{workspaceRoot}/packages/core/src/**/*.test.ts',
      `{workspaceRoot}/packages/cli/src/commands/${spec.name}.ts`,
      '{workspaceRoot}/packages/cli/src/pipeline/**/*.ts',
      { externalDependencies: spec.externalDependencies },
      ...(upstream.length > 0 ? [{ dependentTasksOutputFiles: '**/*', transitive: true }] : []),
    ],
    outputs: [`{workspaceRoot}/${stageDir(DEFAULT_DATA_ROOT, pipeline.name, spec.name)}`],
    metadata: { description: `${spec.name} stage of pipeline ${pipeline.name} (section "${spec.section}")` },
  };
}
