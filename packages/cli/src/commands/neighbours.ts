import type { Argv } from 'yargs';
import type { CommandBody } from '../command-body.ts';
import type { ShowNeighboursOptions } from '../neighbours/show-neighbours.ts';

export const neighboursCommand = {
  builder: (y: Argv) =>
    y
      .positional('file', { type: 'string', demandOption: true, describe: 'a neighbours-relative.arrow or neighbours-kernelized.arrow of the similarity stage' })
      .option('id', { type: 'number', demandOption: true, describe: 'the probed example\'s id' })
      .option('dataset', { type: 'string', describe: 'the dataset.arrow giving classes (default: the one the file was computed from, or ../ingest/dataset.arrow)' }),
  handler: async (args: ShowNeighboursOptions) => {
    const { showNeighbours } = await import('../neighbours/show-neighbours.ts');
    process.stdout.write(await showNeighbours(args));
  },
} satisfies CommandBody;
