import { join } from 'node:path';
import { ElasticityError, createLogger } from '@elasticity/core/light';
import { chanceLine, formatMatrixTable, matrixTableCaption, runMatrixReport } from '@elasticity/report';
import type { MatrixResults } from '@elasticity/report';
import { instanceProjectName, partitionCombos, planPipeline, selectCombos, stageDir, DEFAULT_DATA_ROOT } from '@elasticity/pipeline';
import type { PartitionSpec, Pipeline, PlannedCombination } from '@elasticity/pipeline';
import { runNx } from './run-nx.ts';
import { paperScaleHint } from './paper-scale-hint.ts';
import { writeCombinationResults } from '../results/write-combination-results.ts';

export interface MatrixSelection {
  pipeline: Pipeline;
  /** axis -> label: the combinations to run (all when empty). */
  filter: Record<string, string>;
}

export interface MatrixRunOptions {
  parallel: number;
  skipCache: boolean;
  /** Nx's output unfiltered, cached stages' logs included. */
  verbose?: boolean;
  dataRoot?: string;
  /** Run only this part of the selected combinations (partitionCombos), and write no combined report. */
  partition?: PartitionSpec;
  /**
   * A results folder: when the run succeeds, one JSON per combination it ran
   * (writeCombinationResults; the selection recorded is the filter).
   */
  resultsDir?: string;
}

/** The folder of a matrix pipeline's combined report: DATA/NAME/matrix-report[-AXIS_LABEL...]. */
export function matrixReportDir(dataRoot: string, pipeline: Pipeline, filter: Record<string, string>): string {
  const suffix = Object.entries(filter).map(([axis, label]) => `-${axis}_${label}`).join('');
  return stageDir(dataRoot, pipeline.name, `matrix-report${suffix}`);
}

function selected(s: MatrixSelection): PlannedCombination[] {
  const combos = selectCombos(planPipeline(s.pipeline), s.filter);
  if (combos.length === 0) throw new ElasticityError(`no combination matches ${JSON.stringify(s.filter)}`, { file: s.pipeline.file, field: 'matrix' });
  return combos;
}

/**
 * The combinations of one part (partitionCombos over every selected
 * combination), and a log line saying what it computes.
 */
function partOf(combos: PlannedCombination[], spec: PartitionSpec): Set<PlannedCombination> {
  const part = partitionCombos(combos, spec.count)[spec.index - 1];
  const shared = part.sharedWithEarlier.length > 0 ? ` (${part.sharedWithEarlier.length} also used by earlier parts: ${part.sharedWithEarlier.map((i) => i.folder).join(', ')})` : '';
  createLogger('run').info(`part ${spec.index}/${spec.count}: combinations ${part.combos.length} of ${combos.length}, stage instances ${part.instances.length}${shared}`);
  return new Set(part.combos);
}

/**
 * Runs the selected combinations of one or more matrix pipelines as one Nx
 * invocation (so `--parallel` spans them all and shared stage instances run
 * once), then writes each pipeline's combined report (Table 1 layout, mean
 * ± sd over the seed axis) and prints its table. The results are in the
 * order of `selections` (undefined where a pipeline has no report stage).
 */
export async function runMatrices(selections: MatrixSelection[], options: MatrixRunOptions): Promise<(MatrixResults | undefined)[]> {
  const dataRoot = options.dataRoot ?? DEFAULT_DATA_ROOT;
  const log = createLogger('run');
  const selectedCombos = selections.map(selected);
  const part = options.partition && partOf(selectedCombos.flat(), options.partition);
  const chosen = part ? selectedCombos.map((combos) => combos.filter((c) => part.has(c))) : selectedCombos;
  const leaves = new Map<string, string>();
  selections.forEach((s, i) => {
    for (const c of chosen[i]) leaves.set(instanceProjectName(s.pipeline.name, c.leaf), c.leaf.stage);
  });
  if (leaves.size === 0) {
    process.stdout.write(`part ${options.partition!.index}/${options.partition!.count} has nothing to run (combinations: ${selectedCombos.flat().length}, parts: ${options.partition!.count})\n`);
    return selections.map(() => undefined);
  }
  const stages = [...new Set(leaves.values())];
  const nxArgs = ['run-many', '-t', ...stages, '-p', [...leaves.keys()].join(','), `--parallel=${options.parallel}`];
  if (options.skipCache) nxArgs.push('--skip-nx-cache');
  log.info(`${leaves.size} combination leaves over ${selections.length} matrix pipeline(s): nx ${nxArgs.slice(0, 3).join(' ')} … --parallel=${options.parallel}`);
  // Prefixed: several instances of one stage run at once, and their lines name their project.
  const code = await runNx(nxArgs, { prefix: true, verbose: options.verbose });
  if (code !== 0) {
    process.exitCode = code;
    throw new ElasticityError(`matrix run failed (Nx exited with ${code}); the failing stage's message is above`, { file: selections[0].pipeline.file });
  }
  if (options.resultsDir !== undefined) {
    for (const [i, s] of selections.entries()) {
      const combos = chosen[i].filter((c) => c.instances.report);
      const files = await writeCombinationResults({ pipeline: s.pipeline, combos, selection: s.filter, dataRoot, resultsDir: options.resultsDir });
      log.info(`${s.pipeline.name}: ${files.length} combination ${files.length === 1 ? 'file' : 'files'} written to ${options.resultsDir}`);
    }
  }
  if (options.partition) {
    const commands = selections.map((s) => {
      const only = Object.entries(s.filter).map(([axis, label]) => `${axis}=${label}`).join(',');
      return `\`elasticity run ${s.pipeline.name}${only ? ` --only ${only}` : ''}\``;
    });
    process.stdout.write(`\npart ${options.partition.index}/${options.partition.count} done; when every part has run, ${commands.join(', ')} on any machine with the same remote cache writes the combined report\n`);
    return selections.map(() => undefined);
  }
  const out: (MatrixResults | undefined)[] = [];
  for (const [i, s] of selections.entries()) {
    const withReport = chosen[i].filter((c) => c.instances.report);
    if (withReport.length === 0) {
      log.info(`${s.pipeline.name}: no report section, so no combined report`);
      out.push(undefined);
      continue;
    }
    const outDir = matrixReportDir(dataRoot, s.pipeline, s.filter);
    const results = await runMatrixReport({
      pipeline: s.pipeline.name,
      axes: (s.pipeline.matrix ?? []).map((a) => a.name),
      combos: withReport.map((c) => ({ id: c.id, labels: c.labels, reportDir: stageDir(dataRoot, s.pipeline.name, c.instances.report!.folder) })),
      filter: s.filter,
      outDir,
    });
    // the chance level under the table: one line when every run has the same, else one per run
    const chances = results.combos.map((c) => ({ id: c.id, line: chanceLine(c.results) })).filter((c): c is { id: string; line: string } => c.line !== undefined);
    const chance = new Set(chances.map((c) => c.line)).size === 1 ? [chances[0].line] : chances.map((c) => `${c.id}: ${c.line}`);
    const hint = paperScaleHint();
    process.stdout.write(`\n${results.title}\n${matrixTableCaption(results.table)}\n\n${formatMatrixTable(results.table)}\n${chance.map((l) => `${l}\n`).join('')}\nreport: ${join(outDir, "report.html")}\n${hint ? `${hint}\n` : ''}`);
    out.push(results);
  }
  return out;
}
