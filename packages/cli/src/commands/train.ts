import { stageCommand } from './stage-command.ts';

export const trainCommand = stageCommand('train', () => import('@elasticity/training'), async ({ runTrain }, inv) => {
  await runTrain({ config: inv.config, pipelineFile: inv.pipeline.file, datasetFile: inv.datasetFile, testFile: inv.testFile, outDir: inv.dir('train') });
});
