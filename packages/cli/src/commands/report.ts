import { runReport, formatResultsTable } from '@elasticity/report';
import { stageCommand } from './stage-command.ts';

export const reportCommand = stageCommand('report', 'collect the pipeline\'s results; writes results.json and report.md and prints the table', async (inv) => {
  const results = await runReport({
    config: inv.config,
    pipelineFile: inv.pipeline.file,
    pipelineName: inv.pipeline.name,
    datasetFile: inv.datasetFile,
    trainDir: inv.pipeline.stages.some((s) => s.name === 'train') ? inv.dir('train') : undefined,
    clusterDir: inv.dir('cluster'),
    outDir: inv.dir('report'),
  });
  process.stdout.write(formatResultsTable(results.results) + '\n');
});
