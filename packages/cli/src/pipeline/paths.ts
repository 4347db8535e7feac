import { join } from 'node:path';
import type { StageName } from './stages.ts';

/** Where stage outputs live: DATA_ROOT/NAME/STAGE. */
export const DEFAULT_DATA_ROOT = 'data';

export function stageDir(dataRoot: string, pipelineName: string, stage: StageName): string {
  return join(dataRoot, pipelineName, stage);
}

/** Where shard I of a sharded stage lives: DATA_ROOT/NAME/STAGE-shards/I. */
export function shardDir(dataRoot: string, pipelineName: string, stage: StageName, index: number): string {
  return join(dataRoot, pipelineName, `${stage}-shards`, String(index));
}
