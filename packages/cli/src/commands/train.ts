import { runTrain } from '@elasticity/training';
import { stageCommand } from './stage-command.ts';

export const trainCommand = stageCommand('train', 'train the model of the "train" section; writes model/, init/ and metrics.arrow', async (inv) => {
  await runTrain({ config: inv.config, pipelineFile: inv.pipeline.file, datasetFile: inv.datasetFile, testFile: inv.testFile, outDir: inv.dir('train') });
});
