import { runIngest } from '@elasticity/datasets';
import { stageCommand } from './stage-command.ts';

export const ingestCommand = stageCommand('ingest', 'select and scale the examples of the "dataset" section; writes dataset.arrow', async (inv) => {
  await runIngest({ config: inv.config, pipelineFile: inv.pipeline.file, outDir: inv.dir('ingest') });
});
