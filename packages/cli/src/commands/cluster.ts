import { runCluster } from '@elasticity/clustering';
import { stageCommand } from './stage-command.ts';

export const clusterCommand = stageCommand('cluster', 'cluster the primary examples with every method of the "cluster" section; writes clusters and metrics.json', async (inv) => {
  await runCluster({ config: inv.config, pipelineFile: inv.pipeline.file, datasetFile: inv.datasetFile, similarityDir: inv.dir('similarity'), outDir: inv.dir('cluster') });
});
