import type { Argv } from 'yargs';
import { ElasticityError } from '@elasticity/core/light';
import type { StageName } from '@elasticity/pipeline';
import type { CommandBody } from '../command-body.ts';
import { loadStage, stageInvocation, stageOptions } from './stage-command.ts';
import type { StageArgs, StageInvocation } from './stage-command.ts';

interface ShardedArgs extends StageArgs {
  shard?: string;
  merge?: number;
}

export interface Shard {
  index: number;
  count: number;
}

function parseShard(text: string): Shard {
  const m = /^(\d+)\/(\d+)$/.exec(text);
  const shard = m ? { index: Number(m[1]), count: Number(m[2]) } : undefined;
  if (!shard || shard.count < 1 || shard.index >= shard.count) throw new ElasticityError(`"${text}" is not INDEX/COUNT with 0 <= INDEX < COUNT`, { field: '--shard' });
  return shard;
}

/**
 * A stage whose rows can be split: `--shard I/K` computes rows of shard I of K
 * into data/NAME/STAGE-shards/I (STAGE-KEY-shards/I for a matrix instance); `--merge K` joins the K shards into
 * data/NAME/STAGE, byte-identical to an unsharded run. The Nx plugin makes
 * each shard its own cached task, so `--parallel` runs them side by side and
 * a re-run after an interruption redoes only the unfinished shards.
 * `load` imports the stage's package; `run` and `merge` call it.
 */
export function shardedStageCommand<P>(
  stage: StageName,
  load: () => Promise<P>,
  run: (pkg: P, inv: StageInvocation, outDir: string, shard: Shard | undefined) => Promise<void>,
  merge: (pkg: P, shardDirs: string[], outDir: string) => Promise<void>,
): CommandBody {
  return {
    builder: (y: Argv) =>
      stageOptions(y)
        .option('shard', { type: 'string', describe: 'compute only shard INDEX/COUNT of the rows' })
        .option('merge', { type: 'number', describe: 'join COUNT finished shards into the stage output' })
        .conflicts('shard', 'merge'),
    handler: async (args: ShardedArgs) => {
      const inv = stageInvocation(stage, args);
      if (args.merge !== undefined) {
        if (!Number.isInteger(args.merge) || args.merge < 1) throw new ElasticityError(`must be a positive integer, got ${args.merge}`, { field: '--merge' });
        const dirs = Array.from({ length: args.merge }, (_, i) => inv.shardDir(i));
        await merge(await loadStage(stage, load), dirs, inv.dir(stage));
        return;
      }
      const shard = args.shard === undefined ? undefined : parseShard(args.shard);
      await run(await loadStage(stage, load), inv, shard ? inv.shardDir(shard.index) : inv.dir(stage), shard);
    },
  };
}
