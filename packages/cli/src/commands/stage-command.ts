import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Argv, CommandModule } from 'yargs';
import { ElasticityError } from '@elasticity/core';
import { findInstance, planPipeline, readPipeline, resolvePipelineFile, shardDir, stageDir, stageSpec, DEFAULT_DATA_ROOT } from '@elasticity/pipeline';
import type { Pipeline, PlannedCombination, StageInstance, StageName } from '@elasticity/pipeline';

export interface StageArgs {
  pipeline: string;
  data: string;
  /** The stage instance of a matrix pipeline (its key). */
  instance?: string;
}

/** What a stage command gets: the pipeline, its own section, and where every stage's files are. */
export interface StageInvocation {
  /** The pipeline as this stage runs it (for a matrix: a combination that uses the instance). */
  pipeline: Pipeline;
  instance: StageInstance;
  combo: PlannedCombination;
  config: unknown;
  dir: (stage: StageName) => string;
  /** Folder of shard I of this stage. */
  shardDir: (index: number) => string;
  datasetFile: string;
  testFile?: string;
}

/** Reads the pipeline and locates every stage's folder for one stage command. */
export function stageInvocation(stage: StageName, args: StageArgs): StageInvocation {
  const read = readPipeline(resolvePipelineFile(args.pipeline));
  const spec = stageSpec(stage);
  if (!read.matrix && !read.stages.some((s) => s.name === stage)) {
    throw new ElasticityError(`pipeline has no "${spec.section}" section, so no ${stage} stage`, { file: read.file, field: spec.section });
  }
  const { instance, combo } = findInstance(planPipeline(read), stage, args.instance ?? '');
  const folder = (s: StageName) => combo.instances[s]?.folder ?? s;
  const dir = (s: StageName) => stageDir(args.data, read.name, folder(s));
  const testFile = join(dir('ingest'), 'test.arrow');
  return {
    pipeline: combo.pipeline,
    instance,
    combo,
    config: instance.section,
    dir,
    shardDir: (index) => shardDir(args.data, read.name, instance.folder, index),
    datasetFile: join(dir('ingest'), 'dataset.arrow'),
    testFile: existsSync(testFile) ? testFile : undefined,
  };
}

/** The stage options every stage command takes. */
export function stageOptions<T>(y: Argv<T>): Argv<T & StageArgs> {
  return y
    .option('pipeline', { type: 'string', demandOption: true, describe: 'pipeline name or file (pipelines/NAME.json)' })
    .option('data', { type: 'string', default: DEFAULT_DATA_ROOT, describe: 'root folder of stage outputs' })
    .option('instance', { type: 'string', describe: 'matrix pipelines: the key of the stage instance to run (the Nx plugin passes it)' }) as unknown as Argv<T & StageArgs>;
}

/**
 * Builds the yargs module of one stage. Every stage command reads its section
 * of --pipeline and writes data/NAME/STAGE; Nx runs exactly these commands.
 */
export function stageCommand(stage: StageName, describe: string, run: (inv: StageInvocation) => Promise<void>): CommandModule<object, StageArgs> {
  return {
    command: stage,
    describe,
    builder: (y: Argv) => stageOptions(y),
    handler: async (args) => {
      await run(stageInvocation(stage, args));
    },
  };
}
