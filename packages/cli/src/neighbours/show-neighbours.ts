import { existsSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { ElasticityError, readDatasetFile, readNeighboursFile, sha256File } from '@elasticity/core';
import type { ElasticNeighbours, StageMeta } from '@elasticity/core';

export interface ShowNeighboursOptions {
  /** A neighbours-<kind>.arrow file of the similarity stage. */
  file: string;
  /** The probed example's id. */
  id: number;
  /** The data set giving each example's class; by default the one the file's metadata names, else ../ingest/dataset.arrow beside the file's folder. */
  dataset?: string;
}

/** The data set the neighbours were computed over: --dataset, the input the stage read, or data/NAME/ingest/dataset.arrow beside data/NAME/similarity/. */
function datasetCandidates(options: ShowNeighboursOptions, meta: StageMeta): { file: string; sha?: string }[] {
  if (options.dataset !== undefined) return [{ file: options.dataset }];
  const recorded = Object.entries(meta.inputs).filter(([path]) => basename(path) === 'dataset.arrow').map(([file, sha]) => ({ file, sha }));
  const beside = join(dirname(dirname(options.file)), 'ingest', 'dataset.arrow');
  return [...recorded, { file: beside, sha: recorded[0]?.sha }];
}

/** Class of each example id, or why there is none. */
async function classesOf(options: ShowNeighboursOptions, meta: StageMeta): Promise<{ classes?: Map<number, number>; note: string }> {
  const candidates = datasetCandidates(options, meta);
  const found = candidates.find((c) => existsSync(c.file));
  if (!found) {
    return { note: `classes: no data set found (looked for ${candidates.map((c) => c.file).join(', ')}); --dataset FILE names one` };
  }
  const { dataset } = await readDatasetFile(found.file);
  const classes = new Map<number, number>();
  dataset.ids.forEach((id, i) => classes.set(id, dataset.classes[i]));
  const stale = found.sha !== undefined && found.sha !== await sha256File(found.file);
  return { classes, note: `classes from ${found.file}${stale ? ' (warning: not the version the neighbours were computed from: re-run the pipeline)' : ''}` };
}

/** Row of `id` in the file, or one error naming the file and the id. */
function rowOf(n: ElasticNeighbours, id: number, file: string): number {
  const row = n.ids.indexOf(id);
  if (row < 0) {
    let lo = Infinity, hi = -Infinity;
    for (const v of n.ids) { lo = Math.min(lo, v); hi = Math.max(hi, v); }
    const range = n.ids.length === 0 ? 'it has no rows' : `its ${n.ids.length} probed examples have ids ${lo} to ${hi}`;
    throw new ElasticityError(`id ${id} is not a probed example of this file (${range})`, { file, field: 'id' });
  }
  return row;
}

/**
 * `elasticity neighbours FILE --id N`: the probed example's class and its k
 * most and k least moved neighbours, with their values and classes, as text.
 */
export async function showNeighbours(options: ShowNeighboursOptions): Promise<string> {
  if (!Number.isInteger(options.id)) throw new ElasticityError(`--id must be an example id (an integer), got ${options.id}`, { file: options.file, field: 'id' });
  const { neighbours: n, meta } = await readNeighboursFile(options.file);
  const row = rowOf(n, options.id, options.file);
  const { classes, note } = await classesOf(options, meta);
  const classText = (id: number) => (classes ? String(classes.get(id) ?? '?') : '');
  const width = 2 * n.k;
  const list = (from: number, title: string) => {
    const lines = [title, `  ${'rank'.padEnd(5)} ${'id'.padStart(7)}  ${classes ? 'class  ' : ''}value`];
    for (let r = 0; r < n.k; r++) {
      const at = row * width + from + r;
      const id = n.neighbourIds[at];
      lines.push(`  ${String(r + 1).padEnd(5)} ${String(id).padStart(7)}  ${classes ? classText(id).padEnd(7) : ''}${formatValue(n.values[at])}`);
    }
    return lines;
  };
  const self = classes ? `, class ${classText(options.id)}` : '';
  return [
    `${options.file}: ${n.kind} similarity, k = ${n.k}, ${n.ids.length} probed examples`,
    `example ${options.id}${self}`,
    ...list(0, `most moved by one step at ${options.id} (largest ${n.kind} value first):`),
    ...list(n.k, `least moved (smallest ${n.kind} value first):`),
    note,
  ].join('\n') + '\n';
}

function formatValue(v: number): string {
  return v === 0 ? '0' : Math.abs(v) >= 1e-3 && Math.abs(v) < 1e4 ? v.toFixed(6) : v.toExponential(4);
}
