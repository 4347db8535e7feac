import { mergeNtkShards, runNtk } from '@elasticity/ntk';
import { shardedStageCommand } from './sharded-stage.ts';

export const ntkCommand = shardedStageCommand(
  'ntk',
  'neural tangent kernels over the primary examples; writes ntk.arrow (and ntk-infinite.arrow) (--shard I/K, --merge K for row shards)',
  (inv, outDir, shard) => runNtk({ config: inv.config, pipelineFile: inv.pipeline.file, datasetFile: inv.datasetFile, modelDir: inv.dir('train'), outDir, shard }),
  (shardDirs, outDir) => mergeNtkShards({ shardDirs, outDir }),
);
