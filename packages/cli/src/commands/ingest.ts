import { stageCommand } from './stage-command.ts';

export const ingestCommand = stageCommand('ingest', () => import('@elasticity/datasets'), async ({ runIngest }, inv) => {
  await runIngest({ config: inv.config, pipelineFile: inv.pipeline.file, outDir: inv.dir('ingest') });
});
