import { readStageTimings } from '@elasticity/core';
import { shardDir, stageDir } from '@elasticity/pipeline';
import type { PlannedCombination, StageInstance, StageName } from '@elasticity/pipeline';

/** How many row shards a stage section asks for (probe, ntk: `shards`); 0 for none. */
function shardCount(section: unknown): number {
  const shards = section !== null && typeof section === 'object' ? (section as { shards?: unknown }).shards : undefined;
  return typeof shards === 'number' && Number.isInteger(shards) && shards > 1 ? shards : 0;
}

/**
 * Wall-clock seconds of every stage instance a combination used, by Nx task
 * name in stage order (a sharded stage: STAGE-shard-0..K-1, then STAGE, its
 * merge), to the millisecond, from the timings files beside the stage
 * folders under DATA/NAME; null where there is none (restored from another
 * machine's cache).
 */
export async function combinationTimings(dataRoot: string, pipelineName: string, combo: PlannedCombination): Promise<Record<string, number | null>> {
  const timings: Record<string, number | null> = {};
  const seconds = async (dir: string) => {
    const timings = await readStageTimings(dir);
    return timings ? Math.round(timings.seconds * 1000) / 1000 : null;
  };
  for (const [stage, instance] of Object.entries(combo.instances) as [StageName, StageInstance][]) {
    for (let i = 0; i < shardCount(instance.section); i++) {
      timings[`${stage}-shard-${i}`] = await seconds(shardDir(dataRoot, pipelineName, instance.folder, i));
    }
    timings[stage] = await seconds(stageDir(dataRoot, pipelineName, instance.folder));
  }
  return timings;
}
