import type { Argv } from 'yargs';
import type { CommandBody } from '../command-body.ts';

interface TableArgs {
  folder: string;
  markdown: boolean;
  rows?: string;
}

/**
 * `elasticity table RESULTS`: the Table 1 layout of a results folder (one
 * JSON file per finished combination, written by `elasticity run NAME
 * --results RESULTS` or tools/suite-runner/run.ts), missing combinations "–".
 */
export const tableCommand = {
  builder: (y: Argv) =>
    y
      .positional('folder', { type: 'string', demandOption: true, describe: 'a results folder (e.g. results/paper-scale)' })
      .option('markdown', { type: 'boolean', default: false, describe: 'print the table in Markdown (with the data set of each row)' })
      .option('rows', { type: 'string', describe: 'axes whose labels make the rows, comma-separated (e.g. pair,model: one row per pair and model, each method one column); default: the first axis that varies' }),
  handler: async (args: TableArgs) => {
    const { readResultsFolder } = await import('../results/read-results-folder.ts');
    const { resultsTable } = await import('../results/results-table.ts');
    const { resultsTableText } = await import('../results/results-table-text.ts');
    const files = await readResultsFolder(args.folder);
    process.stdout.write(resultsTableText(resultsTable(files.map((f) => f.results), { rowAxes: args.rows?.split(',').map((a) => a.trim()).filter((a) => a) }), { folder: args.folder, markdown: args.markdown }));
  },
} satisfies CommandBody;
