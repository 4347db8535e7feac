import type { Argv } from 'yargs';
import type { CommandBody } from '../command-body.ts';
import type { RunArgs } from '../run/run-pipeline.ts';

export const runCommand = {
  builder: (y: Argv) =>
    y
      .positional('pipeline', { type: 'string', demandOption: true, describe: 'pipeline name or file' })
      .option('parallel', { type: 'number', default: 2, describe: 'how many stage tasks may run at once' })
      .option('skip-cache', { type: 'boolean', default: false, describe: 'ignore cached stage outputs and run every stage' })
      .option('only', { type: 'string', describe: 'matrix pipelines: run only the combinations with these values, e.g. scale=quick,pair=4v9' })
      .option('results', { type: 'string', describe: 'matrix pipelines: write one JSON per finished combination into this folder (RESULTS/<combination id>.json: metrics, training, stage times, provenance; `elasticity table RESULTS` prints them)' })
      .option('partition', { type: 'string', describe: 'run part i of n (i/n) of the combinations, for n machines sharing a remote cache; a final run without it writes the combined report' })
      .option('verbose', { type: 'boolean', default: false, describe: 'show Nx\'s whole output, the logs of cached stages included' }),
  handler: async (args: RunArgs) => {
    const { runPipeline } = await import('../run/run-pipeline.ts');
    await runPipeline(args);
  },
} satisfies CommandBody;
