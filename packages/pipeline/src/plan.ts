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
  /** '' in a plain pipeline; in a matrix, hash of (stage, section, upstream keys). */
  key: string;
  /** Folder under DATA/NAME: "train" (plain) or "train-<key>" (matrix). */
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
      const id = `${spec.name}:${key}`;
      let instance = byKey.get(id);
      if (!instance) {
        instance = { stage: spec.name, key, folder: key ? `${spec.name}-${key}` : spec.name, section, upstream, combos: [] };
        byKey.set(id, instance);
        instances.push(instance);
      }
      instance.combos.push(c.id);
      own[spec.name] = instance;
    }
    return { id: c.id, labels: c.labels, pipeline: effective, instances: own, leaf: own[stages[stages.length - 1].name]! };
  });
  return { pipeline, axes, combos: planned, instances };
}

/** The combinations a filter (axis -> label) keeps. */
export function selectCombos(plan: PipelinePlan, filter: Record<string, string>): PlannedCombination[] {
  return plan.combos.filter((c) => matchesFilter({ id: c.id, labels: c.labels, sections: c.pipeline.sections }, filter));
}

/** The instance of `stage` with `key` ('' in a plain pipeline), with a combination that uses it. */
export function findInstance(plan: PipelinePlan, stage: StageName, key: string): { instance: StageInstance; combo: PlannedCombination } {
  const file = plan.pipeline.file;
  if (plan.pipeline.matrix && !key) {
    throw new ElasticityError(`is a matrix pipeline: name the ${stage} instance with --instance KEY (see \`elasticity inspect\` or data/${plan.pipeline.name}/)`, { file, field: '--instance' });
  }
  if (!plan.pipeline.matrix && key) throw new ElasticityError('--instance applies to matrix pipelines only', { file, field: '--instance' });
  const instance = plan.instances.find((i) => i.stage === stage && i.key === key);
  if (!instance) {
    const known = plan.instances.filter((i) => i.stage === stage).map((i) => i.key || '(the only one)');
    throw new ElasticityError(`has no ${stage} instance "${key}"${known.length ? `; instances: ${known.join(', ')}` : ''}`, { file, field: '--instance' });
  }
  return { instance, combo: plan.combos.find((c) => c.id === instance.combos[0])! };
}

/** Nx project of a matrix stage instance: NAME/STAGE-KEY. */
export function instanceProjectName(pipelineName: string, instance: StageInstance): string {
  return `${pipelineName}/${instance.folder}`;
}

/** Nx project of a matrix combination: NAME/COMBO-ID. */
export function comboProjectName(pipelineName: string, comboId: string): string {
  return `${pipelineName}/${comboId}`;
}
