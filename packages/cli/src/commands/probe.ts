import { mergeProbeShards, runProbe } from '@elasticity/probing';
import { shardedStageCommand } from './sharded-stage.ts';

export const probeCommand = shardedStageCommand(
  'probe',
  'one-step SGD probes at every primary example; writes relative.arrow and kernelized.arrow (--shard I/K, --merge K for row shards)',
  (inv, outDir, shard) =>
    runProbe({ config: inv.config, pipelineFile: inv.pipeline.file, datasetFile: inv.datasetFile, modelDir: inv.dir('train'), outDir, shard }),
  (shardDirs, outDir) => mergeProbeShards({ shardDirs, outDir }),
);
