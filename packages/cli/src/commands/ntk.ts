import { runNtk } from '@elasticity/ntk';
import { stageCommand } from './stage-command.ts';

export const ntkCommand = stageCommand('ntk', 'empirical neural tangent kernel over the primary examples; writes ntk.arrow', async (inv) => {
  await runNtk({ config: inv.config, pipelineFile: inv.pipeline.file, datasetFile: inv.datasetFile, modelDir: inv.dir('train'), outDir: inv.dir('ntk') });
});
