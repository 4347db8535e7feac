import { existsSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { ElasticityError, createLogger } from '@elasticity/core/light';
import { parseIngestConfig } from '@elasticity/datasets';
import { runSuiteReport } from '@elasticity/report';
import { planPipeline, readPipeline, DEFAULT_DATA_ROOT } from '@elasticity/pipeline';
import type { Pipeline, PlannedCombination } from '@elasticity/pipeline';
import { validatePipeline } from '@elasticity/pipeline/schema';
import { matrixReportDir, runMatrices } from './run-matrix.ts';
import type { MatrixSelection } from './run-matrix.ts';

export interface ReproduceArgs {
  scale: string;
  suite: string;
  parallel: number;
  'skip-cache': boolean;
  verbose: boolean;
}

/** The raw folder a combination's ingest reads, or null when its data is embedded (sample, synthetic). */
function rawFolder(combo: PlannedCombination): string | null {
  const config = parseIngestConfig(combo.pipeline.sections.dataset, combo.pipeline.file);
  return 'path' in config ? config.path : null;
}

function present(folder: string | null): boolean {
  return folder === null || (existsSync(folder) && readdirSync(folder).length > 0);
}

/**
 * What to run of one suite pipeline at a scale: the `scale` axis set to the
 * scale; of a `data` axis, the first value (in declared order) whose raw
 * files are present (the full MNIST IDX files before the embedded sample).
 * Undefined (with the reason) when the pipeline's data is absent, e.g.
 * CIFAR-10 not downloaded.
 */
export function suiteSelection(pipeline: Pipeline, scale: string): { selection?: MatrixSelection; skipped?: string } {
  const axes = pipeline.matrix ?? [];
  const scaleAxis = axes.find((a) => a.name === 'scale');
  if (!scaleAxis?.values.some((v) => v.label === scale)) {
    throw new ElasticityError(`a suite pipeline needs a "scale" axis with the value "${scale}"`, { file: pipeline.file, field: 'matrix.scale' });
  }
  const combos = planPipeline(pipeline).combos.filter((c) => c.labels.scale === scale);
  const dataAxis = axes.find((a) => a.name === 'data');
  const candidates = dataAxis ? dataAxis.values.map((v) => v.label) : [undefined];
  const missing: string[] = [];
  for (const label of candidates) {
    const chosen = label === undefined ? combos : combos.filter((c) => c.labels.data === label);
    const folders = [...new Set(chosen.map(rawFolder))];
    const absent = folders.filter((f) => !present(f));
    if (absent.length === 0) return { selection: { pipeline, filter: { scale, ...(label === undefined ? {} : { data: label }) } } };
    missing.push(...absent.map(String));
  }
  return { skipped: `raw data not found at ${[...new Set(missing)].join(', ')} (download it with \`elasticity download\` or set dataset.path)` };
}

/** `elasticity reproduce`: every suite pipeline at one scale through one Nx run, then the suite's combined report. */
export async function reproduceSuite(args: ReproduceArgs): Promise<void> {
  const log = createLogger('reproduce');
  const folder = join(process.cwd(), args.suite);
  if (!existsSync(folder)) throw new ElasticityError('no such suite folder', { file: folder, field: '--suite' });
  const files = readdirSync(folder).filter((f) => f.endsWith('.json') && !f.endsWith('.schema.json')).sort();
  if (files.length === 0) throw new ElasticityError('holds no pipeline files', { file: folder, field: '--suite' });
  const selections: MatrixSelection[] = [];
  for (const file of files) {
    const pipeline = readPipeline(join(folder, file));
    validatePipeline(pipeline);
    const { selection, skipped } = suiteSelection(pipeline, args.scale);
    if (selection) {
      log.info(`${pipeline.name}: ${JSON.stringify(selection.filter)}`);
      selections.push(selection);
    } else log.warn(`${pipeline.name}: skipped: ${skipped}`);
  }
  if (selections.length === 0) throw new ElasticityError('no suite pipeline has its data here', { file: folder, field: '--suite' });
  const started = performance.now();
  const results = await runMatrices(selections, { parallel: args.parallel, skipCache: args['skip-cache'], verbose: args.verbose });
  const outDir = join(DEFAULT_DATA_ROOT, `reproduce-${args.scale}`);
  const minutes = (performance.now() - started) / 60000;
  await runSuiteReport({
    title: `Local elasticity: the paper suite at scale "${args.scale}"`,
    reports: selections.filter((_, i) => results[i] !== undefined).map((s) => ({ name: s.pipeline.name.split('/').pop()!, dir: matrixReportDir(DEFAULT_DATA_ROOT, s.pipeline, s.filter) })),
    outDir,
  });
  process.stdout.write(`\nsuite at scale ${args.scale}: ${selections.length} matrix pipeline(s) in ${minutes.toFixed(1)} min\nreport: ${relative(process.cwd(), join(outDir, 'report.html'))}\n`);
}
