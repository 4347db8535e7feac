import { runProbe } from '@elasticity/probing';
import { stageCommand } from './stage-command.ts';

export const probeCommand = stageCommand('probe', 'one-step SGD probes at every primary example; writes relative.arrow and kernelized.arrow', async (inv) => {
  await runProbe({ config: inv.config, pipelineFile: inv.pipeline.file, datasetFile: inv.datasetFile, modelDir: inv.dir('train'), outDir: inv.dir('probe') });
});
