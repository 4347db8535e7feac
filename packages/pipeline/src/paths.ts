import { join } from 'node:path';

/** Where stage outputs live: DATA_ROOT/NAME/FOLDER. */
export const DEFAULT_DATA_ROOT = 'data';

/**
 * DATA_ROOT/NAME/FOLDER: the output folder of a stage. FOLDER is the stage
 * name in a plain pipeline, "STAGE-KEY" for a stage instance of a matrix
 * pipeline (StageInstance.folder).
 */
export function stageDir(dataRoot: string, pipelineName: string, folder: string): string {
  return join(dataRoot, pipelineName, folder);
}

/** Where shard I of a sharded stage lives: DATA_ROOT/NAME/FOLDER-shards/I. */
export function shardDir(dataRoot: string, pipelineName: string, folder: string, index: number): string {
  return join(dataRoot, pipelineName, `${folder}-shards`, String(index));
}
