import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Argv } from 'yargs';
import { ElasticityError, createLogger } from '@elasticity/core/light';
import { findInstance, planPipeline, readPipeline, resolvePipelineFile, shardDir, stageDir, stageSpec, DEFAULT_DATA_ROOT } from '@elasticity/pipeline';
import type { Pipeline, PlannedCombination, StageInstance, StageName } from '@elasticity/pipeline';
import type { CommandBody } from '../command-body.ts';

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
 * Loads a stage's package (the one import a stage process makes beyond the
 * pipeline model) and logs, at debug level, how long after the process
 * started its work begins, and the CPU time spent until then (all threads):
 * the start-up tools/bench/cli-startup.ts measures.
 */
export async function loadStage<P>(stage: StageName, load: () => Promise<P>): Promise<P> {
  const pkg = await load();
  const { user, system } = process.cpuUsage();
  createLogger(stage).debug(`started ${(performance.now() / 1000).toFixed(3)} s after the process, ${((user + system) / 1e6).toFixed(3)} s of CPU`);
  return pkg;
}

/**
 * Builds the command module of one stage. Every stage command reads its
 * section of --pipeline and writes data/NAME/STAGE; Nx runs exactly these
 * commands. `load` imports the stage's package, `run` calls it.
 */
export function stageCommand<P>(stage: StageName, load: () => Promise<P>, run: (pkg: P, inv: StageInvocation) => Promise<void>): CommandBody {
  return {
    builder: (y: Argv) => stageOptions(y),
    handler: async (args: StageArgs) => {
      const inv = stageInvocation(stage, args);
      await run(await loadStage(stage, load), inv);
    },
  };
}
