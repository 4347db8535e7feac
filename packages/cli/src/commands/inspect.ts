import type { Argv } from 'yargs';
import type { CommandBody } from '../command-body.ts';
import type { InspectOptions } from '../inspect/inspect-file.ts';

export const inspectCommand = {
  builder: (y: Argv) =>
    y
      .positional('file', { type: 'string', demandOption: true })
      .option('rows', { type: 'number', default: 5, describe: 'how many rows to show' })
      .option('json', { type: 'boolean', default: false, describe: 'print JSON instead of text (metadata whole)' })
      .option('full', { type: 'boolean', default: false, describe: 'show metadata values whole instead of cut at 120 characters' }),
  handler: async (args: InspectOptions) => {
    const { inspectFile } = await import('../inspect/inspect-file.ts');
    process.stdout.write(await inspectFile(args));
  },
} satisfies CommandBody;
