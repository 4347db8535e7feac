/**
 * The stages of a pipeline, the section of the pipeline JSON each one owns,
 * and the stages whose outputs it reads. This table is the DAG: the Nx plugin
 * turns it into targets and the CLI into input/output folders.
 */
export type StageName = 'ingest' | 'train' | 'probe' | 'ntk' | 'similarity' | 'cluster' | 'report';

export interface StageSpec {
  name: StageName;
  /** Key of the stage's section in pipelines/NAME.json. */
  section: string;
  /** Stages whose outputs this stage reads. */
  upstream: StageName[];
  /**
   * Workspace package that implements the stage. The Nx plugin keys the
   * stage's tasks on it, the workspace packages it depends on and their npm
   * packages (tools/nx-plugin/stage-code.ts).
   */
  packageDir: string;
  /** May the section be left out (then the stage is not part of the pipeline)? */
  optional: boolean;
  /** Can its rows be split into shards (section key `shards`), each its own task? */
  shardable?: boolean;
}

export const STAGES: StageSpec[] = [
  { name: 'ingest', section: 'dataset', upstream: [], packageDir: 'packages/datasets', optional: false },
  { name: 'train', section: 'train', upstream: ['ingest'], packageDir: 'packages/training', optional: true },
  { name: 'probe', section: 'probe', upstream: ['ingest', 'train'], packageDir: 'packages/probing', optional: true, shardable: true },
  { name: 'ntk', section: 'ntk', upstream: ['ingest', 'train'], packageDir: 'packages/ntk', optional: true, shardable: true },
  { name: 'similarity', section: 'similarity', upstream: ['ingest', 'train', 'probe', 'ntk'], packageDir: 'packages/similarity', optional: false },
  { name: 'cluster', section: 'cluster', upstream: ['ingest', 'similarity'], packageDir: 'packages/clustering', optional: true },
  { name: 'report', section: 'report', upstream: ['ingest', 'train', 'similarity', 'cluster'], packageDir: 'packages/report', optional: true },
];

export function stageSpec(name: StageName): StageSpec {
  const spec = STAGES.find((s) => s.name === name);
  if (!spec) throw new Error(`unknown stage ${name}`);
  return spec;
}

export const SECTION_KEYS = STAGES.map((s) => s.section);
