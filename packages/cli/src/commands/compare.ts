import type { Argv, CommandModule } from 'yargs';
import { DEFAULT_DATA_ROOT } from '@elasticity/pipeline';
import { compareRuns } from '../compare/compare-runs.ts';
import { compareJson, formatCompareTable } from '../compare/format-compare.ts';
import { REFERENCE_FORMS } from '../compare/load-run.ts';

interface CompareArgs {
  a: string;
  b: string;
  json: boolean;
  all: boolean;
  data: string;
}

export interface CompareCommandOptions {
  /** Where the output goes (default: stdout). */
  write?: (text: string) => void;
  /** Folder references are read from (default: the working directory at call time). */
  cwd?: () => string;
}

/**
 * `elasticity compare A B`: the param and metric differences between two
 * runs, like `dvc params diff` and `dvc metrics diff`. Wall-clock seconds
 * always differ, so they appear only with --all.
 */
export function createCompareCommand(options: CompareCommandOptions = {}): CommandModule<object, CompareArgs> {
  const write = options.write ?? ((text: string) => { process.stdout.write(text); });
  const cwd = options.cwd ?? (() => process.cwd());
  return {
    command: 'compare <a> <b>',
    describe: 'show the params and metrics that differ between two runs (table, or --json); training seconds only with --all',
    builder: (y: Argv) =>
      y
        .positional('a', { type: 'string', demandOption: true, describe: `run A: ${REFERENCE_FORMS}` })
        .positional('b', { type: 'string', demandOption: true, describe: 'run B, in the same forms' })
        .option('json', { type: 'boolean', default: false, describe: 'print JSON: { a, b, params: [{path, a, b}], metrics: [{path, a, b, change}], notes }' })
        .option('all', { type: 'boolean', default: false, describe: 'every param and metric, not only those that differ (and training seconds)' })
        .option('data', { type: 'string', default: DEFAULT_DATA_ROOT, describe: 'root folder of stage outputs (for a pipeline NAME)' }) as unknown as Argv<CompareArgs>,
    handler: async (args) => {
      const report = await compareRuns(String(args.a), String(args.b), { cwd: cwd(), dataRoot: args.data, all: args.all });
      write(args.json ? JSON.stringify(compareJson(report), null, 2) + '\n' : formatCompareTable(report));
    },
  };
}

export const compareCommand = createCompareCommand();
