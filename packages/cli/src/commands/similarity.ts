import { stageCommand } from './stage-command.ts';

export const similarityCommand = stageCommand('similarity', () => import('@elasticity/similarity'), async ({ runSimilarity }, inv) => {
  const has = (name: string) => inv.pipeline.stages.some((s) => s.name === name);
  await runSimilarity({
    config: inv.config,
    pipelineFile: inv.pipeline.file,
    datasetFile: inv.datasetFile,
    probeDir: has('probe') ? inv.dir('probe') : undefined,
    ntkDir: has('ntk') ? inv.dir('ntk') : undefined,
    modelDir: has('train') ? inv.dir('train') : undefined,
    outDir: inv.dir('similarity'),
  });
});
