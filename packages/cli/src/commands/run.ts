import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Argv, CommandModule } from 'yargs';
import { ElasticityError } from '@elasticity/core';
import { formatPipelineSummary } from '@elasticity/report';
import type { PipelineResults } from '@elasticity/report';
import { parseComboFilter, readPipeline, resolvePipelineFile, stageDir, DEFAULT_DATA_ROOT } from '@elasticity/pipeline';
import { validatePipeline } from '@elasticity/pipeline/schema';
import { runMatrices } from './run-matrix.ts';
import { runNx } from './run-nx.ts';

interface RunArgs {
  pipeline: string;
  parallel: number;
  'skip-cache': boolean;
  only?: string;
}

export const runCommand: CommandModule<object, RunArgs> = {
  command: 'run <pipeline>',
  describe: 'run a pipeline (pipelines/NAME.json) through Nx, re-running only stages whose inputs changed, and print its results table',
  builder: (y: Argv) =>
    y
      .positional('pipeline', { type: 'string', demandOption: true, describe: 'pipeline name or file' })
      .option('parallel', { type: 'number', default: 2, describe: 'how many stage tasks may run at once' })
      .option('skip-cache', { type: 'boolean', default: false, describe: 'ignore cached stage outputs and run every stage' })
      .option('only', { type: 'string', describe: 'matrix pipelines: run only the combinations with these values, e.g. scale=quick,pair=4v9' }) as unknown as Argv<RunArgs>,
  handler: async (args) => {
    const pipeline = readPipeline(resolvePipelineFile(args.pipeline));
    validatePipeline(pipeline);
    if (!pipeline.file.startsWith(join(process.cwd(), 'pipelines') + '/')) {
      throw new ElasticityError('`run` takes pipelines from the workspace folder pipelines/ (Nx projects); run stages of other files one by one', { file: pipeline.file });
    }
    if (pipeline.matrix) {
      const filter = parseComboFilter(args.only, pipeline.matrix, pipeline.file);
      await runMatrices([{ pipeline, filter }], { parallel: args.parallel, skipCache: args['skip-cache'] });
      return;
    }
    if (args.only !== undefined) throw new ElasticityError('--only selects combinations of a matrix pipeline; this pipeline has no "matrix"', { file: pipeline.file, field: '--only' });
    const last = pipeline.stages[pipeline.stages.length - 1].name;
    const nxArgs = ['run', `${pipeline.name}:${last}`, `--parallel=${args.parallel}`, '--outputStyle=static'];
    if (args['skip-cache']) nxArgs.push('--skip-nx-cache');
    const started = performance.now();
    const code = await runNx(nxArgs);
    if (code !== 0) {
      process.exitCode = code;
      throw new ElasticityError(`pipeline failed (Nx exited with ${code}); the failing stage's message is above`, { file: pipeline.file });
    }
    if (last !== 'report') return;
    const resultsFile = join(stageDir(DEFAULT_DATA_ROOT, pipeline.name, 'report'), 'results.json');
    const results = JSON.parse(await readFile(resultsFile, 'utf8')) as PipelineResults;
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    process.stdout.write(`\n${results.title} (${seconds} s)\n\n${formatPipelineSummary(results)}\n\nreport: ${join(stageDir(DEFAULT_DATA_ROOT, pipeline.name, 'report'), 'report.html')}\n`);
  },
};
