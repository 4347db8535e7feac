import { shardedStageCommand } from './sharded-stage.ts';

export const probeCommand = shardedStageCommand(
  'probe',
  () => import('@elasticity/probing'),
  ({ runProbe }, inv, outDir, shard) =>
    runProbe({ config: inv.config, pipelineFile: inv.pipeline.file, datasetFile: inv.datasetFile, modelDir: inv.dir('train'), outDir, shard }),
  ({ mergeProbeShards }, shardDirs, outDir) => mergeProbeShards({ shardDirs, outDir }),
);
