import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';
import { ElasticityError, BACKEND_CHOICES } from '@elasticity/core';
import { ingestCommand } from './commands/ingest.ts';
import { trainCommand } from './commands/train.ts';
import { probeCommand } from './commands/probe.ts';
import { ntkCommand } from './commands/ntk.ts';
import { similarityCommand } from './commands/similarity.ts';
import { clusterCommand } from './commands/cluster.ts';
import { reportCommand } from './commands/report.ts';
import { runCommand } from './commands/run.ts';
import { reproduceCommand } from './commands/reproduce.ts';
import { inspectCommand } from './commands/inspect.ts';
import { compareCommand } from './commands/compare.ts';
import { schemaCommand } from './commands/schema.ts';
import { downloadCommand } from './commands/download.ts';

/** Runs the `elasticity` command line; resolves to the exit code. */
export async function main(argv = hideBin(process.argv)): Promise<number> {
  try {
    await yargs(argv)
      .scriptName('elasticity')
      .usage('$0 <command> [options]\n\nLocal elasticity of neural networks (He & Su, ICLR 2020) as a cached pipeline of stages.')
      .option('backend', {
        type: 'string', choices: BACKEND_CHOICES, global: true,
        describe: 'TensorFlow.js backend (auto: native tfjs-node where it loads, else wasm, else cpu)',
      })
      .middleware((args) => {
        if (typeof args.backend === 'string') process.env.ELASTICITY_BACKEND = args.backend;
      })
      .command(runCommand)
      .command(reproduceCommand)
      .command(inspectCommand)
      .command(compareCommand)
      .command(schemaCommand)
      .command(ingestCommand)
      .command(trainCommand)
      .command(probeCommand)
      .command(ntkCommand)
      .command(similarityCommand)
      .command(clusterCommand)
      .command(reportCommand)
      .command(downloadCommand)
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
