import { stageCommand } from './stage-command.ts';

export const clusterCommand = stageCommand('cluster', () => import('@elasticity/clustering'), async ({ runCluster }, inv) => {
  await runCluster({ config: inv.config, pipelineFile: inv.pipeline.file, datasetFile: inv.datasetFile, similarityDir: inv.dir('similarity'), outDir: inv.dir('cluster') });
});
