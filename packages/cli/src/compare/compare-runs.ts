import { diffMetrics, diffParams } from './diff-runs.ts';
import type { MetricDiff, ParamDiff } from './diff-runs.ts';
import { loadRun } from './load-run.ts';
import type { LoadedRun, LoadRunOptions } from './load-run.ts';

/** One side of the comparison as reported. */
export interface RunSummary {
  ref: string;
  file: string;
  kind: LoadedRun['kind'];
  pipeline: string | null;
  paramsFrom: string | null;
}

export interface CompareReport {
  a: RunSummary;
  b: RunSummary;
  /** False when a run records no params (then `params` is empty; see notes). */
  paramsCompared: boolean;
  params: ParamDiff[];
  metrics: MetricDiff[];
  /** What the reader should know about how far the two runs compare (params missing, different kinds). */
  notes: string[];
}

export interface CompareOptions extends LoadRunOptions {
  /** Every entry, not only those that differ (and the wall-clock seconds). */
  all?: boolean;
}

function summary(run: LoadedRun): RunSummary {
  return { ref: run.ref, file: run.file, kind: run.kind, pipeline: run.pipeline ?? null, paramsFrom: run.paramsFrom };
}

/** Caveats of comparing these two runs. */
function notesFor(a: LoadedRun, b: LoadedRun): string[] {
  const notes: string[] = [];
  for (const [side, run] of [['A', a], ['B', b]] as const) {
    if (!run.params) {
      notes.push(`params not compared: ${side} (${run.ref}) records none (no "params" in its results.json and no pipelines/${run.pipeline ?? 'NAME'}.json)`);
    }
  }
  for (const [side, run] of [['A', a], ['B', b]] as const) {
    if (run.params && !run.paramsEffective) {
      notes.push(`params: ${side}'s are as written in ${run.paramsFrom} (a matrix pipeline, or sections today's stages do not read): defaults not applied, so they may show as differences`);
    }
  }
  if (a.kind !== b.kind) notes.push(`A is a ${a.kind} report and B a ${b.kind} report: their metric names differ by prefix`);
  return notes;
}

/** Loads two run references and lists their differing (or, with `all`, every) params and metrics. */
export async function compareRuns(refA: string, refB: string, options: CompareOptions): Promise<CompareReport> {
  const a = await loadRun(refA, options);
  const b = await loadRun(refB, options);
  const paramsCompared = a.params !== undefined && b.params !== undefined;
  const params = paramsCompared ? diffParams(a.params!, b.params!, options.all) : [];
  return { a: summary(a), b: summary(b), paramsCompared, params, metrics: diffMetrics(a.metrics, b.metrics, options.all), notes: notesFor(a, b) };
}
