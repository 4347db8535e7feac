import { join } from 'node:path';
import type { CreateNodesV2, TargetConfiguration } from 'nx/src/devkit-exports.js';
import { readPipeline, presentUpstream, stageDir, shardDir, DEFAULT_DATA_ROOT } from '@elasticity/cli/pipeline';
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
  for (const spec of pipeline.stages) {
    const shards = shardCount(pipeline, spec);
    if (shards === 1) {
      targets[spec.name] = targetFor(pipeline, file, spec, '', presentUpstream(pipeline, spec.name), stageDir(DEFAULT_DATA_ROOT, pipeline.name, spec.name));
      continue;
    }
    // K shard tasks (cached one by one: an interrupted run redoes only unfinished shards), then a merge.
    const shardTargets = Array.from({ length: shards }, (_, i) => `${spec.name}-shard-${i}`);
    shardTargets.forEach((name, i) => {
      targets[name] = targetFor(pipeline, file, spec, ` --shard ${i}/${shards}`, presentUpstream(pipeline, spec.name), shardDir(DEFAULT_DATA_ROOT, pipeline.name, spec.name, i));
    });
    targets[spec.name] = targetFor(pipeline, file, spec, ` --merge ${shards}`, shardTargets, stageDir(DEFAULT_DATA_ROOT, pipeline.name, spec.name));
  }
  return { name: pipeline.name, targets, tags: ['pipeline'] };
}

/** The section's `shards` (only for stages that can be split; 1 when absent or invalid). */
function shardCount(pipeline: Pipeline, spec: StageSpec): number {
  const shards = (pipeline.sections[spec.section] as { shards?: unknown } | null)?.shards;
  return spec.shardable && typeof shards === 'number' && Number.isInteger(shards) && shards > 1 ? shards : 1;
}

function targetFor(pipeline: Pipeline, file: string, spec: StageSpec, extraArgs: string, dependsOn: string[], outDir: string): TargetConfiguration {
  return {
    executor: 'nx:run-commands',
    options: { command: `${CLI} ${spec.name} --pipeline ${file}${extraArgs}` },
    cache: true,
    dependsOn,
    inputs: [
      { runtime: `${STAGE_KEY} ${file} ${spec.name}` },
      `{workspaceRoot}/${spec.packageDir}/src/**/*.ts`,
      `!{workspaceRoot}/${spec.packageDir}/src/**/*.test.ts`,
      '{workspaceRoot}/packages/core/src/**/*.ts',
      '!{workspaceRoot}/packages/core/src/**/*.test.ts',
      `{workspaceRoot}/packages/cli/src/commands/${spec.name}.ts`,
      '{workspaceRoot}/packages/cli/src/pipeline/**/*.ts',
      { externalDependencies: spec.externalDependencies },
      ...(dependsOn.length > 0 ? [{ dependentTasksOutputFiles: '**/*', transitive: true }] : []),
    ],
    outputs: [`{workspaceRoot}/${outDir}`],
    metadata: { description: `${spec.name} stage of pipeline ${pipeline.name} (section "${spec.section}")` },
  };
}
