import { existsSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { Argv } from 'yargs';
import { ElasticityError, createLogger } from '@elasticity/core/light';
import { readPipeline, skipBrokenPipeline, stageDir, DEFAULT_DATA_ROOT } from '@elasticity/pipeline';
import type { CommandBody } from '../command-body.ts';
import { loadStage, stageInvocation } from './stage-command.ts';
import type { StageInvocation } from './stage-command.ts';

interface ReportArgs {
  pipeline?: string;
  instance?: string;
  data: string;
  all: boolean;
  out?: string;
  title?: string;
}

/** Where `report --all` writes by default: a folder no pipeline can be named (names start with a letter or digit). */
export const ALL_REPORT_DIR = '_all';

const loadReport = () => loadStage('report', () => import('@elasticity/report'));

async function reportOne(inv: StageInvocation): Promise<void> {
  const { formatPipelineSummary, runReport } = await loadReport();
  const has = (name: string) => inv.pipeline.stages.some((s) => s.name === name);
  const geodesicFile = join(inv.dir('ingest'), 'geodesic.arrow');
  const results = await runReport({
    config: inv.config,
    pipelineFile: inv.pipeline.file,
    pipelineName: inv.combo.id ? `${inv.pipeline.name}/${inv.combo.id}` : inv.pipeline.name,
    params: inv.pipeline.sections,
    datasetFile: inv.datasetFile,
    trainDir: has('train') ? inv.dir('train') : undefined,
    similarityDir: has('similarity') ? inv.dir('similarity') : undefined,
    geodesicFile: existsSync(geodesicFile) ? geodesicFile : undefined,
    clusterDir: has('cluster') ? inv.dir('cluster') : undefined,
    outDir: inv.dir('report'),
  });
  // `elasticity run` prints the summary itself once Nx is done.
  if (process.env.ELASTICITY_RUN !== '1') process.stdout.write(`${formatPipelineSummary(results)}\n`);
}

/** Every pipelines/*.json of the workspace whose report stage has run (a file that does not read is left out with a warning). */
function reportedPipelines(data: string): { name: string; reportDir: string }[] {
  const folder = join(process.cwd(), 'pipelines');
  if (!existsSync(folder)) throw new ElasticityError('no pipelines/ folder in the working directory', { file: folder });
  const log = createLogger('report');
  const out = [];
  for (const file of readdirSync(folder).filter((f) => f.endsWith('.json') && !f.endsWith('.schema.json')).sort()) {
    const pipeline = skipBrokenPipeline(() => readPipeline(join(folder, file)));
    if (!pipeline || pipeline.matrix) continue; // a matrix has its own combined report (elasticity run NAME)
    const reportDir = stageDir(data, pipeline.name, 'report');
    if (!pipeline.stages.some((s) => s.name === 'report')) continue;
    if (!existsSync(join(reportDir, 'results.json'))) {
      log.info(`${pipeline.name}: no report yet (elasticity run ${pipeline.name}); left out`);
      continue;
    }
    out.push({ name: pipeline.name, reportDir });
  }
  return out;
}

export const reportCommand = {
  builder: (y: Argv) =>
    y
      .option('pipeline', { type: 'string', describe: 'pipeline name or file (pipelines/NAME.json)' })
      .option('data', { type: 'string', default: DEFAULT_DATA_ROOT, describe: 'root folder of stage outputs' })
      .option('instance', { type: 'string', describe: 'matrix pipelines: the key of the report instance to run (the Nx plugin passes it)' })
      .option('all', { type: 'boolean', default: false, describe: 'one report across every pipeline in pipelines/ whose report has run' })
      .option('out', { type: 'string', describe: `with --all: output folder (default DATA/${ALL_REPORT_DIR})` })
      .option('title', { type: 'string', describe: 'with --all: title of the report' })
      .check((args) => {
        // A returned message is a usage error (exit 2); a thrown one would be an internal error.
        if (args.all === (args.pipeline !== undefined)) return 'give either --pipeline NAME or --all';
        if (!args.all && (args.out !== undefined || args.title !== undefined)) return '--out and --title go with --all';
        return true;
      }),
  handler: async (args: ReportArgs) => {
    if (!args.all) {
      await reportOne(stageInvocation('report', { pipeline: args.pipeline!, data: args.data, instance: args.instance }));
      return;
    }
    const outDir = args.out ?? join(args.data, ALL_REPORT_DIR);
    const pipelines = reportedPipelines(args.data);
    const { formatPipelineSummary, runReportAll } = await loadReport();
    const all = await runReportAll({ pipelines, outDir, title: args.title });
    for (const p of all.pipelines) process.stdout.write(`\n${p.title}\n${formatPipelineSummary(p)}\n`);
    process.stdout.write(`\n${relative(process.cwd(), join(outDir, 'report.html')) || 'report.html'}\n`);
  },
} satisfies CommandBody;
