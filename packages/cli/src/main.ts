import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';
import { ElasticityError, BACKEND_CHOICES } from '@elasticity/core/light';
import { COMMANDS, commandOf } from './command-table.ts';
// the version given, not guessed: yargs looks for package.json from the install folder and misses it when that
// folder's name has a dot (a checkout in `mktemp -d`'s tmp.XXXX printed "unknown")
import cliPackage from '../package.json' with { type: 'json' };

/**
 * Runs the `elasticity` command line; resolves to the exit code. Only the
 * module of the command that runs is loaded (see command-table.ts): the
 * others are listed by name and description.
 */
export async function main(argv = hideBin(process.argv)): Promise<number> {
  try {
    const parser = yargs(argv)
      .scriptName('elasticity')
      .version(cliPackage.version)
      .usage('$0 <command> [options]\n\nLocal elasticity of neural networks (He & Su, ICLR 2020) as a cached pipeline of stages.')
      .option('backend', {
        type: 'string', choices: BACKEND_CHOICES, global: true,
        describe: 'TensorFlow.js backend (auto: native tfjs-node where it loads, else wasm, else cpu)',
      })
      .middleware((args) => {
        if (typeof args.backend === 'string') process.env.ELASTICITY_BACKEND = args.backend;
      });
    const running = commandOf(argv);
    for (const entry of COMMANDS) {
      const body = entry === running ? await entry.load() : { builder: {}, handler: () => {} };
      parser.command({ ...body, command: entry.command, describe: entry.describe });
    }
    await parser
      .demandCommand(1, 'name a command')
      .strict()
      .fail((message, error) => {
        // yargs passes a check's returned message as the "error": that is a usage error too.
        throw error instanceof Error ? error : new UsageError(message);
      })
      .help()
      .parseAsync();
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (error) {
    if (error instanceof ElasticityError) {
      process.stderr.write(`error: ${error.message}\n`);
      return 1;
    }
    if (error instanceof UsageError) {
      process.stderr.write(`error: ${error.message} (see elasticity --help)\n`);
      return 2;
    }
    process.stderr.write(`internal error: ${(error as Error).stack ?? error}\n`);
    return 70;
  }
}

class UsageError extends Error {}
