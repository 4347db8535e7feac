import { shardedStageCommand } from './sharded-stage.ts';

export const ntkCommand = shardedStageCommand(
  'ntk',
  () => import('@elasticity/ntk'),
  ({ runNtk }, inv, outDir, shard) => runNtk({ config: inv.config, pipelineFile: inv.pipeline.file, datasetFile: inv.datasetFile, modelDir: inv.dir('train'), outDir, shard }),
  ({ mergeNtkShards }, shardDirs, outDir) => mergeNtkShards({ shardDirs, outDir }),
);
