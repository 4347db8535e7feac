import type { Argv } from 'yargs';
import type { CommandBody } from '../command-body.ts';
import type { ReproduceArgs } from '../run/reproduce-suite.ts';

export const reproduceCommand = {
  builder: (y: Argv) =>
    y
      .option('scale', { type: 'string', default: 'quick', describe: 'quick (minutes on 2 cores) or paper (the authors\' widths and epochs)' })
      .option('suite', { type: 'string', default: 'pipelines/paper', describe: 'folder of the suite\'s matrix pipelines' })
      .option('parallel', { type: 'number', default: 2, describe: 'how many stage tasks may run at once' })
      .option('skip-cache', { type: 'boolean', default: false, describe: 'ignore cached stage outputs' })
      .option('verbose', { type: 'boolean', default: false, describe: 'show Nx\'s whole output, the logs of cached stages included' }),
  handler: async (args: ReproduceArgs) => {
    const { reproduceSuite } = await import('../run/reproduce-suite.ts');
    await reproduceSuite(args);
  },
} satisfies CommandBody;
