import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ElasticityError } from '@elasticity/core/light';
import { formatPipelineSummary } from '@elasticity/report';
import type { PipelineResults } from '@elasticity/report';
import { parseComboFilter, parsePartition, readPipeline, resolvePipelineFile, stageDir, DEFAULT_DATA_ROOT } from '@elasticity/pipeline';
import { validatePipeline } from '@elasticity/pipeline/schema';
import { runMatrices } from './run-matrix.ts';
import { runNx } from './run-nx.ts';
import { paperScaleHint } from './paper-scale-hint.ts';

export interface RunArgs {
  pipeline: string;
  parallel: number;
  'skip-cache': boolean;
  only?: string;
  /** "i/n": part i of n of the combinations (for n machines sharing a remote cache). */
  partition?: string;
  /** Matrix pipelines: the results folder, one JSON per finished combination. */
  results?: string;
  verbose: boolean;
}

/**
 * `elasticity run NAME`: the pipeline's stages through Nx (cached ones
 * skipped, one line each), then its results table; a matrix pipeline runs
 * its combinations and prints the combined table.
 */
export async function runPipeline(args: RunArgs): Promise<void> {
  const pipeline = readPipeline(resolvePipelineFile(args.pipeline));
  validatePipeline(pipeline);
  if (!pipeline.file.startsWith(join(process.cwd(), 'pipelines') + '/')) {
    throw new ElasticityError('`run` takes pipelines from the workspace folder pipelines/ (Nx projects); run stages of other files one by one', { file: pipeline.file });
  }
  const partition = args.partition === undefined ? undefined : parsePartition(args.partition, { file: pipeline.file });
  if (pipeline.matrix) {
    const filter = parseComboFilter(args.only, pipeline.matrix, pipeline.file);
    await runMatrices([{ pipeline, filter }], { parallel: args.parallel, skipCache: args['skip-cache'], verbose: args.verbose, partition, resultsDir: args.results });
    return;
  }
  if (args.only !== undefined) throw new ElasticityError('--only selects combinations of a matrix pipeline; this pipeline has no "matrix"', { file: pipeline.file, field: '--only' });
  if (args.results !== undefined) throw new ElasticityError('--results writes one file per combination of a matrix pipeline; this pipeline has no "matrix" (its results are in its report folder)', { file: pipeline.file, field: '--results' });
  if (partition && partition.index > 1) {
    process.stdout.write(`${pipeline.name} has no matrix, so it is one part: part 1/${partition.count} runs it, part ${partition.index}/${partition.count} has nothing to run\n`);
    return;
  }
  const last = pipeline.stages[pipeline.stages.length - 1].name;
  // run-many rather than `nx run`: Nx shows the whole log of a cached task of the project a `run` names.
  const nxArgs = ['run-many', '-t', last, '-p', pipeline.name, `--parallel=${args.parallel}`];
  if (args['skip-cache']) nxArgs.push('--skip-nx-cache');
  const started = performance.now();
  const code = await runNx(nxArgs, { verbose: args.verbose });
  if (code !== 0) {
    process.exitCode = code;
    throw new ElasticityError(`pipeline failed (Nx exited with ${code}); the failing stage's message is above`, { file: pipeline.file });
  }
  if (last !== 'report') return;
  const resultsFile = join(stageDir(DEFAULT_DATA_ROOT, pipeline.name, 'report'), 'results.json');
  const results = JSON.parse(await readFile(resultsFile, 'utf8')) as PipelineResults;
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  const hint = paperScaleHint();
  process.stdout.write(`\n${results.title} (${seconds} s)\n\n${formatPipelineSummary(results)}\n\nreport: ${join(stageDir(DEFAULT_DATA_ROOT, pipeline.name, 'report'), 'report.html')}\n${hint ? `${hint}\n` : ''}`);
}
