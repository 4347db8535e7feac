import { join } from 'node:path';
import type { CreateNodesV2, ProjectConfiguration, TargetConfiguration, TargetDependencyConfig } from 'nx/src/devkit-exports.js';
import { hashJson } from '@elasticity/core/light';
import { comboProjectName, instanceProjectName, planPipeline, readPipeline, skipBrokenPipeline, stageDir, stageSpec, shardDir, DEFAULT_DATA_ROOT } from '@elasticity/pipeline';
import type { PipelinePlan, StageInstance, StageName, StageSpec } from '@elasticity/pipeline';
import { CLI_LAUNCHER, readWorkspace, stageCode } from './stage-code.ts';
import type { StageCode } from './stage-code.ts';

/**
 * Turns every pipelines/**\/NAME.json into Nx projects whose targets are its
 * stage instances (packages/pipeline/src/plan.ts), named for people:
 *
 * - a plain pipeline is one project NAME with one target per stage;
 * - a matrix pipeline is a project NAME (target `all`: every combination),
 *   one project per combination NAME/COMBO (target `all`), and the stage
 *   targets sit in the project named by the instance's id: NAME/COMBO when
 *   one combination uses the instance, NAME/_.0 when every value of the first
 *   axis shares it, NAME when it is the only instance of its stage. Equal
 *   instances are one task, run once for every combination that uses them.
 *
 * Nx hashes a project's whole configuration (target names, commands,
 * outputs) into every one of its tasks, so nothing in it depends on section
 * contents: commands and output folders name instances by id, and each
 * target's section enters its key through its own inputs. Editing one value
 * of an axis re-runs the tasks it reaches and no others.
 *
 * A target's inputs (see stageInputs): the code it runs (stage-code.ts), its
 * section, for ingest and user feature files what lies outside the
 * workspace (stage-key.ts), for the stages that run TensorFlow.js the backend
 * and Node version (print-backend.mjs), for train, probe and ntk the float32
 * kernel of their products (print-float32-kernel.mjs: the 2-layer MLPs'
 * training steps and the probe's and NTK's products run on it), and the
 * upstream tasks' output files,
 * so a stage re-runs only when those bytes changed.
 */
export const createNodesV2: CreateNodesV2 = [
  'pipelines/**/*.json',
  async (files, _options, context) => {
    const code = stageCodes(context.workspaceRoot);
    // A file that does not read is left out with a warning: one broken pipeline does not stop the others.
    return files.filter((file) => !file.endsWith('.schema.json')).map((file) => skipBrokenPipeline(() => {
      const plan = planPipeline(readPipeline(join(context.workspaceRoot, file)));
      return [file, { projects: Object.fromEntries(pipelineProjects(plan, file, code).map((p) => [p.root, p])) }] as const;
    }) ?? [file, {}]);
  },
];

/** The stage processes run the CLI's launcher (packages/cli/bin/bundle.mjs: its sources as one bundle, remade when they change). */
const CLI = `node ${CLI_LAUNCHER}`;
const STAGE_KEY = 'node --import tsx tools/nx-plugin/print-stage-key.ts';
export const BACKEND = 'node tools/nx-plugin/print-backend.mjs';
/** The float32 kernel of the probe's and NTK's products (ONNX Runtime or TensorFlow.js wasm) and the CPU level ONNX Runtime dispatches on. */
export const FLOAT32_KERNEL = 'node tools/nx-plugin/print-float32-kernel.mjs';

type Project = ProjectConfiguration & { name: string; targets: Record<string, TargetConfiguration> };
type CodeOf = (stage: StageName) => StageCode;

/** The code of every stage, read once per plugin call. */
export function stageCodes(workspaceRoot: string): CodeOf {
  const ws = readWorkspace(workspaceRoot);
  const memo = new Map<StageName, StageCode>();
  return (stage) => {
    if (!memo.has(stage)) memo.set(stage, stageCode(ws, stage, stageSpec(stage).packageDir));
    return memo.get(stage)!;
  };
}

/** The projects of one pipeline file. */
export function pipelineProjects(plan: PipelinePlan, file: string, code: CodeOf): Project[] {
  const { pipeline } = plan;
  const projects = new Map<string, Project>();
  const project = (name: string, tags: string[]) => {
    if (!projects.has(name)) projects.set(name, { name, root: `pipelines/${name}`, targets: {}, tags });
    return projects.get(name)!;
  };
  const kind = (name: string) => (!pipeline.matrix ? ['pipeline'] : name === pipeline.name ? ['pipeline', 'matrix'] : plan.combos.some((c) => comboProjectName(pipeline.name, c.id) === name) ? ['pipeline-combination', `matrix:${pipeline.name}`] : ['pipeline-shared-stages', `matrix:${pipeline.name}`]);
  for (const instance of plan.instances) {
    const host = instanceProjectName(pipeline.name, instance);
    const dependsOn = Object.values(instance.upstream).map((u) => {
      const at = instanceProjectName(pipeline.name, u!);
      return at === host ? u!.stage : { projects: [at], target: u!.stage };
    });
    addStageTargets(project(host, kind(host)).targets, plan, file, instance, dependsOn, stageInputs(instance, file, code(instance.stage), dependsOn.length > 0));
  }
  if (pipeline.matrix) {
    for (const combo of plan.combos) {
      const name = comboProjectName(pipeline.name, combo.id);
      project(name, kind(name)).targets.all = noop(
        [{ projects: [instanceProjectName(pipeline.name, combo.leaf)], target: combo.leaf.stage }],
        `combination ${Object.entries(combo.labels).map(([a, l]) => `${a}=${l}`).join(', ')} of ${pipeline.name}`,
      );
    }
    project(pipeline.name, kind(pipeline.name)).targets.all = noop(
      plan.combos.map((c) => ({ projects: [comboProjectName(pipeline.name, c.id)], target: 'all' })),
      `every combination of ${pipeline.name}`,
    );
  }
  return [...projects.values()];
}

function noop(dependsOn: TargetDependencyConfig[], description: string): TargetConfiguration {
  return { executor: 'nx:noop', dependsOn, cache: false, metadata: { description } };
}

/** Stages whose numbers depend on the TensorFlow.js backend (and so on the Node version that runs it). */
function runsTensorFlow(instance: StageInstance): boolean {
  if (instance.stage === 'train' || instance.stage === 'probe' || instance.stage === 'ntk') return true;
  if (instance.stage !== 'similarity') return false;
  // Its defaults (raw, PCA; no activation-cosine) are plain JavaScript; the autoencoder and activation patterns run TensorFlow.js.
  const section = (instance.section ?? {}) as { use?: unknown; baselines?: unknown };
  return (Array.isArray(section.baselines) && section.baselines.includes('autoencoder')) || (Array.isArray(section.use) && section.use.includes('activation-cosine'));
}

/** Does the stage read files that lie outside the workspace's tracked files (a raw data folder, user feature files)? */
function readsOutsideFiles(instance: StageInstance): boolean {
  const section = (instance.section ?? {}) as Record<string, unknown>;
  return instance.stage === 'ingest'
    ? section.source !== undefined && section.source !== 'mnist-sample' && section.source !== 'synthetic'
    : instance.stage === 'similarity' && section.features !== undefined;
}

/** The section's key: a runtime input that prints it costs a shell `echo`, not a Node start. */
export function sectionKey(instance: StageInstance): string {
  return hashJson({ stage: instance.stage, section: instance.section ?? null });
}

/** What a stage target's hash covers (see the module comment). */
export function stageInputs(instance: StageInstance, file: string, code: StageCode, hasUpstream: boolean): TargetConfiguration['inputs'] {
  return [
    readsOutsideFiles(instance)
      ? { runtime: `${STAGE_KEY} ${file} ${instance.stage}${instance.key ? ` ${instance.key}` : ''}` }
      : { runtime: `echo ${instance.stage} section ${sectionKey(instance)}` },
    ...(runsTensorFlow(instance) ? [{ runtime: BACKEND }] : []),
    ...(instance.stage === 'train' || instance.stage === 'probe' || instance.stage === 'ntk' ? [{ runtime: FLOAT32_KERNEL }] : []),
    { input: 'production', projects: code.projects },
    ...code.files.map((f) => `{workspaceRoot}/${f}`),
    { externalDependencies: code.externalDependencies },
    ...(hasUpstream ? [{ dependentTasksOutputFiles: '**/*', transitive: true }] : []),
  ];
}

/** The section's `shards` (only for stages that can be split; 1 when absent or invalid). */
function shardCount(spec: StageSpec, section: unknown): number {
  const shards = (section as { shards?: unknown } | null)?.shards;
  return spec.shardable && typeof shards === 'number' && Number.isInteger(shards) && shards > 1 ? shards : 1;
}

/** The instance's target, or its K shard targets plus the merge target named after the stage. */
function addStageTargets(
  targets: Record<string, TargetConfiguration>, plan: PipelinePlan, file: string, instance: StageInstance,
  dependsOn: (string | TargetDependencyConfig)[], inputs: TargetConfiguration['inputs'],
): void {
  const name = plan.pipeline.name;
  const spec = stageSpec(instance.stage);
  const shards = shardCount(spec, instance.section);
  const users = plan.pipeline.matrix ? ` for ${instance.combos.length === plan.combos.length ? 'every combination' : `combination${instance.combos.length > 1 ? 's' : ''} ${instance.combos.join(', ')}`}` : '';
  const target = (extraArgs: string, deps: (string | TargetDependencyConfig)[], outDir: string): TargetConfiguration => ({
    executor: 'nx:run-commands',
    options: { command: `${CLI} ${spec.name} --pipeline ${file}${instance.id ? ` --instance ${instance.id}` : ''}${extraArgs}` },
    cache: true,
    dependsOn: deps,
    inputs,
    outputs: [`{workspaceRoot}/${outDir}`],
    metadata: { description: `${spec.name} stage of pipeline ${name} (section "${spec.section}")${users}` },
  });
  if (shards === 1) {
    targets[spec.name] = target('', dependsOn, stageDir(DEFAULT_DATA_ROOT, name, instance.folder));
    return;
  }
  // K shard tasks (cached one by one: an interrupted run redoes only unfinished shards), then a merge.
  const shardTargets = Array.from({ length: shards }, (_, i) => `${spec.name}-shard-${i}`);
  shardTargets.forEach((shardTarget, i) => {
    targets[shardTarget] = target(` --shard ${i}/${shards}`, dependsOn, shardDir(DEFAULT_DATA_ROOT, name, instance.folder, i));
  });
  targets[spec.name] = target(` --merge ${shards}`, shardTargets, stageDir(DEFAULT_DATA_ROOT, name, instance.folder));
}
