import type { Argv } from 'yargs';
import type { CommandBody } from '../command-body.ts';

interface DownloadArgs {
  dataset: 'mnist' | 'cifar10';
  dest: string;
  'base-url'?: string;
}

export const downloadCommand: CommandBody = {
  builder: (y: Argv) =>
    y
      .positional('dataset', { choices: ['mnist', 'cifar10'] as const, demandOption: true })
      .option('dest', { type: 'string', default: 'data/raw', describe: 'folder for raw data sets' })
      .option('base-url', { type: 'string', describe: 'mirror to download from instead of the public location' }),
  handler: async (args: DownloadArgs) => {
    const { downloadDataset } = await import('@elasticity/datasets');
    const dir = await downloadDataset(args.dataset, { rawDir: args.dest, baseUrl: args['base-url'] });
    process.stdout.write(`${args.dataset}: ${dir}\n`);
  },
};
