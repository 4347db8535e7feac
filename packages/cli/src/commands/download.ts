import type { Argv, CommandModule } from 'yargs';
import { downloadDataset } from '@elasticity/datasets';

interface DownloadArgs {
  dataset: 'mnist' | 'cifar10';
  dest: string;
  'base-url'?: string;
}

export const downloadCommand: CommandModule<object, DownloadArgs> = {
  command: 'download <dataset>',
  describe: 'download MNIST (IDX) or CIFAR-10 (binary version) into data/raw, verifying SHA-256 (needs network access)',
  builder: (y: Argv) =>
    y
      .positional('dataset', { choices: ['mnist', 'cifar10'] as const, demandOption: true })
      .option('dest', { type: 'string', default: 'data/raw', describe: 'folder for raw data sets' })
      .option('base-url', { type: 'string', describe: 'mirror to download from instead of the public location' }) as unknown as Argv<DownloadArgs>,
  handler: async (args) => {
    const dir = await downloadDataset(args.dataset, { rawDir: args.dest, baseUrl: args['base-url'] });
    process.stdout.write(`${args.dataset}: ${dir}\n`);
  },
};
