import { join } from 'node:path';
import type { CreateNodesV2, ProjectConfiguration, TargetConfiguration, TargetDependencyConfig } from 'nx/src/devkit-exports.js';
import { comboProjectName, instanceProjectName, planPipeline, readPipeline, presentUpstream, stageDir, stageSpec, shardDir, DEFAULT_DATA_ROOT } from '@elasticity/pipeline';
import type { Pipeline, PipelinePlan, StageInstance, StageSpec } from '@elasticity/pipeline';

/**
 * Turns every pipelines/**\/NAME.json into Nx projects.
 *
 * A plain pipeline is one project NAME whose targets are its stages (the DAG
 * of packages/pipeline/src/stages.ts). Nx hashes the whole project
 * configuration into every target, so that configuration holds nothing that
 * depends on section contents; each target instead has a `runtime` input
 * (stage-key.ts) that prints its own section: editing one section misses
 * that stage's cache only.
 *
 * A matrix pipeline (matrix.ts) becomes one project per distinct stage
 * instance, NAME/STAGE-KEY, whose key hashes its section and its upstream
 * instances: combinations that agree on a stage and everything above it share
 * that task, and editing one axis changes only the keys (and so the tasks)
 * it reaches. On top, one project per combination (NAME/COMBO, target `all`)
 * and one for the whole matrix (NAME, target `all`), both no-ops that depend
 * on the stage tasks.
 *
 * Downstream stages hash the upstream output files, so they re-run only when
 * those bytes changed.
 */
export const createNodesV2: CreateNodesV2 = [
  'pipelines/**/*.json',
  async (files, _options, context) =>
    files.filter((file) => !file.endsWith('.schema.json')).map((file) => {
      const pipeline = readPipeline(join(context.workspaceRoot, file));
      const projects = pipeline.matrix ? matrixProjects(planPipeline(pipeline), file) : [projectFor(pipeline, file)];
      return [file, { projects: Object.fromEntries(projects.map((p) => [p.root, p])) }];
    }),
];

const CLI = 'node --import tsx packages/cli/src/bin.ts';
const STAGE_KEY = 'node --import tsx tools/nx-plugin/print-stage-key.ts';

type Project = ProjectConfiguration & { name: string; targets: Record<string, TargetConfiguration> };

/** The project of a plain pipeline. */
export function projectFor(pipeline: Pipeline, file: string): Project {
  const targets: Record<string, TargetConfiguration> = {};
  for (const spec of pipeline.stages) {
    const runtime = `${STAGE_KEY} ${file} ${spec.name}`;
    addStageTargets(targets, pipeline, file, spec, sectionOf(pipeline, spec), presentUpstream(pipeline, spec.name), spec.name, '', runtime);
  }
  return { name: pipeline.name, root: `pipelines/${pipeline.name}`, targets, tags: ['pipeline'] };
}

const instanceProject = (pipeline: Pipeline, instance: StageInstance) => instanceProjectName(pipeline.name, instance);
const comboProject = (pipeline: Pipeline, comboId: string) => comboProjectName(pipeline.name, comboId);

/** The projects of a matrix pipeline: stage instances, combinations, and the matrix itself. */
export function matrixProjects(plan: PipelinePlan, file: string): Project[] {
  const { pipeline } = plan;
  const projects: Project[] = plan.instances.map((instance) => {
    const spec = stageSpec(instance.stage);
    const dependsOn: (string | TargetDependencyConfig)[] = Object.values(instance.upstream).map((u) => ({ projects: [instanceProject(pipeline, u!)], target: u!.stage }));
    const targets: Record<string, TargetConfiguration> = {};
    addStageTargets(targets, pipeline, file, spec, instance.section, dependsOn, instance.folder, ` --instance ${instance.key}`, runtimeInput(instance, file));
    const name = instanceProject(pipeline, instance);
    return { name, root: `pipelines/${name}`, targets, tags: ['pipeline-stage', `matrix:${pipeline.name}`] };
  });
  for (const combo of plan.combos) {
    const name = comboProject(pipeline, combo.id);
    projects.push({
      name, root: `pipelines/${name}`, tags: ['pipeline-combination', `matrix:${pipeline.name}`],
      targets: { all: noop([{ projects: [instanceProject(pipeline, combo.leaf)], target: combo.leaf.stage }], `combination ${JSON.stringify(combo.labels)} of ${pipeline.name}`) },
    });
  }
  projects.push({
    name: pipeline.name, root: `pipelines/${pipeline.name}`, tags: ['pipeline', 'matrix'],
    targets: { all: noop(plan.combos.map((c) => ({ projects: [comboProject(pipeline, c.id)], target: 'all' })), `every combination of ${pipeline.name}`) },
  });
  return projects;
}

function noop(dependsOn: TargetDependencyConfig[], description: string): TargetConfiguration {
  return { executor: 'nx:noop', dependsOn, cache: false, metadata: { description } };
}

/**
 * A matrix instance's key is in its command, so the project configuration
 * (hashed by Nx) already covers its section. What lies outside the pipeline
 * file still needs a runtime input: the raw data folder an ingest reads and
 * the user feature files a similarity reads.
 */
function runtimeInput(instance: StageInstance, file: string): string | undefined {
  const section = (instance.section ?? {}) as Record<string, unknown>;
  const external = instance.stage === 'ingest'
    ? section.source !== undefined && section.source !== 'mnist-sample' && section.source !== 'synthetic'
    : instance.stage === 'similarity' && section.features !== undefined;
  return external ? `${STAGE_KEY} ${file} ${instance.stage} ${instance.key}` : undefined;
}

function sectionOf(pipeline: Pipeline, spec: StageSpec): unknown {
  return pipeline.sections[spec.section];
}

/** The section's `shards` (only for stages that can be split; 1 when absent or invalid). */
function shardCount(spec: StageSpec, section: unknown): number {
  const shards = (section as { shards?: unknown } | null)?.shards;
  return spec.shardable && typeof shards === 'number' && Number.isInteger(shards) && shards > 1 ? shards : 1;
}

/** The stage's target, or its K shard targets plus the merge target named after the stage. */
function addStageTargets(
  targets: Record<string, TargetConfiguration>, pipeline: Pipeline, file: string, spec: StageSpec, section: unknown,
  dependsOn: (string | TargetDependencyConfig)[], folder: string, instanceArgs: string, runtime: string | undefined,
): void {
  const shards = shardCount(spec, section);
  const target = (extraArgs: string, deps: (string | TargetDependencyConfig)[], outDir: string) =>
    targetFor(pipeline, file, spec, `${instanceArgs}${extraArgs}`, deps, outDir, runtime);
  if (shards === 1) {
    targets[spec.name] = target('', dependsOn, stageDir(DEFAULT_DATA_ROOT, pipeline.name, folder));
    return;
  }
  // K shard tasks (cached one by one: an interrupted run redoes only unfinished shards), then a merge.
  const shardTargets = Array.from({ length: shards }, (_, i) => `${spec.name}-shard-${i}`);
  shardTargets.forEach((name, i) => {
    targets[name] = target(` --shard ${i}/${shards}`, dependsOn, shardDir(DEFAULT_DATA_ROOT, pipeline.name, folder, i));
  });
  targets[spec.name] = target(` --merge ${shards}`, shardTargets, stageDir(DEFAULT_DATA_ROOT, pipeline.name, folder));
}

function targetFor(
  pipeline: Pipeline, file: string, spec: StageSpec, extraArgs: string, dependsOn: (string | TargetDependencyConfig)[], outDir: string, runtime: string | undefined,
): TargetConfiguration {
  return {
    executor: 'nx:run-commands',
    options: { command: `${CLI} ${spec.name} --pipeline ${file}${extraArgs}` },
    cache: true,
    dependsOn,
    inputs: [
      ...(runtime ? [{ runtime }] : []),
      `{workspaceRoot}/${spec.packageDir}/src/**/*.ts`,
      `!{workspaceRoot}/${spec.packageDir}/src/**/*.test.ts`,
      '{workspaceRoot}/packages/core/src/**/*.ts',
      ...(spec.name === 'probe' || spec.name === 'ntk' ? ['{workspaceRoot}/packages/mlp-engine/src/**/*.ts', '!{workspaceRoot}/packages/mlp-engine/src/**/*.test.ts'] : []),
      '!{workspaceRoot}/packages/core/src/**/*.test.ts',
      `{workspaceRoot}/packages/cli/src/commands/${spec.name}.ts`,
      '{workspaceRoot}/packages/pipeline/src/**/*.ts',
      { externalDependencies: spec.externalDependencies },
      ...(dependsOn.length > 0 ? [{ dependentTasksOutputFiles: '**/*', transitive: true }] : []),
    ],
    outputs: [`{workspaceRoot}/${outDir}`],
    metadata: { description: `${spec.name} stage of pipeline ${pipeline.name} (section "${spec.section}")` },
  };
}
