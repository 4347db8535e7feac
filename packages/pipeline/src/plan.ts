import { ElasticityError, hashJson } from '@elasticity/core/light';
import { expandMatrix, matchesFilter } from './matrix.ts';
import type { MatrixAxis } from './matrix.ts';
import { stagesOf } from './read-pipeline.ts';
import type { Pipeline } from './read-pipeline.ts';
import type { StageName } from './stages.ts';

/**
 * One run of one stage: a stage with its effective section and its upstream
 * instances. In a matrix pipeline, combinations whose stage has the same
 * section and the same upstream instances share the instance (one trained
 * model feeds the probes of every similarity; one data set every model).
 */
export interface StageInstance {
  stage: StageName;
  /** '' in a plain pipeline; in a matrix, hash of (stage, section, upstream keys): equal keys are one instance. */
  key: string;
  /**
   * Its name for people, from the combinations that use it ('' when it is
   * the only instance of its stage): the combination id when one combination
   * uses it, else the id with "_" for an axis over all of whose values it is
   * shared ("_.0": every value of the first axis, seed 0) and "a+b" for some
   * of them. Unlike the key it stays the same when a section's values change,
   * so Nx project names and folders do not move with every edit.
   */
  id: string;
  /** Folder under DATA/NAME: "train" (plain, or the only instance of its stage) or "train-<id>" (matrix). */
  folder: string;
  section: unknown;
  /** The instances it reads, by stage. */
  upstream: Partial<Record<StageName, StageInstance>>;
  /** Ids of the combinations that use it. */
  combos: string[];
}

export interface PlannedCombination {
  /** '' for a plain pipeline; the value labels joined by '.' in a matrix. */
  id: string;
  labels: Record<string, string>;
  /** The pipeline this combination runs (its effective sections and stages). */
  pipeline: Pipeline;
  instances: Partial<Record<StageName, StageInstance>>;
  /** The instance of its last stage (its leaf in the DAG). */
  leaf: StageInstance;
}

export interface PipelinePlan {
  pipeline: Pipeline;
  axes: MatrixAxis[];
  combos: PlannedCombination[];
  /** Every distinct instance, upstream before downstream. */
  instances: StageInstance[];
}

const KEY_LENGTH = 10;

/** The stage instances of a pipeline: one per stage (plain), or the distinct ones over every combination (matrix). */
export function planPipeline(pipeline: Pipeline): PipelinePlan {
  const axes = pipeline.matrix ?? [];
  const combos = pipeline.matrix
    ? expandMatrix(pipeline.matrix, pipeline.sections).map((c) => ({ id: c.id, labels: c.labels, sections: c.sections }))
    : [{ id: '', labels: {}, sections: pipeline.sections }];
  const byKey = new Map<string, StageInstance>();
  const instances: StageInstance[] = [];
  const planned = combos.map((c): PlannedCombination => {
    const stages = stagesOf(c.sections);
    const effective: Pipeline = { name: pipeline.name, file: pipeline.file, sections: c.sections, stages };
    const own: Partial<Record<StageName, StageInstance>> = {};
    for (const spec of stages) {
      const upstream: Partial<Record<StageName, StageInstance>> = {};
      for (const u of spec.upstream) if (own[u]) upstream[u] = own[u];
      const section = c.sections[spec.section];
      const key = pipeline.matrix
        ? hashJson({ stage: spec.name, section, upstream: Object.fromEntries(Object.entries(upstream).map(([s, i]) => [s, i!.key])) }).slice(0, KEY_LENGTH)
        : '';
      const identity = `${spec.name}:${key}`;
      let instance = byKey.get(identity);
      if (!instance) {
        instance = { stage: spec.name, key, id: '', folder: spec.name, section, upstream, combos: [] };
        byKey.set(identity, instance);
        instances.push(instance);
      }
      instance.combos.push(c.id);
      own[spec.name] = instance;
    }
    return { id: c.id, labels: c.labels, pipeline: effective, instances: own, leaf: own[stages[stages.length - 1].name]! };
  });
  nameInstances(axes, planned, instances);
  return { pipeline, axes, combos: planned, instances };
}

/** Sets each instance's id and folder (see StageInstance.id). */
function nameInstances(axes: MatrixAxis[], combos: PlannedCombination[], instances: StageInstance[]): void {
  const byId = new Map(combos.map((c) => [c.id, c]));
  const perStage = new Map<StageName, number>();
  for (const i of instances) perStage.set(i.stage, (perStage.get(i.stage) ?? 0) + 1);
  for (const instance of instances) {
    if (perStage.get(instance.stage) === 1) continue;
    const users = instance.combos.map((id) => byId.get(id)!);
    const slots = axes.map((axis) => {
      const used = axis.values.filter((v) => users.some((c) => c.labels[axis.name] === v.label)).map((v) => v.label);
      return used.length === axis.values.length && used.length > 1 ? { text: '_', size: used.length } : { text: used.join('+'), size: used.length };
    });
    // The slots describe a product of values: exact when it holds as many combinations as use the instance.
    const exact = slots.reduce((n, s) => n * s.size, 1) === users.length;
    instance.id = exact ? slots.map((s) => s.text).join('.') : instance.combos.join('+');
    instance.folder = `${instance.stage}-${instance.id}`;
  }
}

/** The combinations a filter (axis -> label) keeps. */
export function selectCombos(plan: PipelinePlan, filter: Record<string, string>): PlannedCombination[] {
  return plan.combos.filter((c) => matchesFilter({ id: c.id, labels: c.labels, sections: c.pipeline.sections }, filter));
}

/**
 * The instance of `stage` named `ref`: its id or its key in a matrix ('' when
 * the stage has one instance), '' in a plain pipeline; with a combination
 * that uses it.
 */
export function findInstance(plan: PipelinePlan, stage: StageName, ref: string): { instance: StageInstance; combo: PlannedCombination } {
  const file = plan.pipeline.file;
  if (!plan.pipeline.matrix && ref) throw new ElasticityError('--instance applies to matrix pipelines only', { file, field: '--instance' });
  const candidates = plan.instances.filter((i) => i.stage === stage);
  const instance = candidates.find((i) => i.id === ref || (ref !== '' && i.key === ref));
  if (!instance) {
    const known = candidates.map((i) => i.id).join(', ');
    if (!ref && candidates.length > 1) throw new ElasticityError(`is a matrix pipeline with ${candidates.length} ${stage} instances: name one with --instance (${known})`, { file, field: '--instance' });
    throw new ElasticityError(`has no ${stage} instance${ref ? ` "${ref}"` : ''}${known ? `; instances: ${known}` : ''}`, { file, field: '--instance' });
  }
  return { instance, combo: plan.combos.find((c) => c.id === instance.combos[0])! };
}

/**
 * The Nx project that holds a stage instance's task: NAME for an instance
 * without id (a plain pipeline, or the only instance of its stage), else
 * NAME/ID: the combination's project when one combination uses it, or the
 * project of the part of the matrix that shares it (NAME/_.0).
 */
export function instanceProjectName(pipelineName: string, instance: StageInstance): string {
  return instance.id ? `${pipelineName}/${instance.id}` : pipelineName;
}

/** Nx project of a matrix combination: NAME/COMBO-ID. */
export function comboProjectName(pipelineName: string, comboId: string): string {
  return `${pipelineName}/${comboId}`;
}
