import { relative } from 'node:path';
import { ElasticityError, decodeMeta, readArrowSchema } from '@elasticity/core';

/** The provenance an upstream Arrow file carries in its schema metadata. */
export interface FileProvenance {
  /** Path relative to the working directory. */
  file: string;
  stage: string;
  seed: number | null;
  params: Record<string, unknown>;
  /** SHA-256 of each file the stage read, keyed by path. */
  inputs: Record<string, string>;
  /** Contract keys worth showing (kind, backend, model, loss, eta). */
  extra: Record<string, string>;
}

const SHOWN_EXTRA = ['kind', 'backend', 'model', 'loss', 'eta', 'eta_schedule', 'method', 'input', 'name', 'shape'];

/** Reads the stage metadata of an Arrow file written by any stage, from its schema alone (a kernel file can be larger than memory). */
export async function readProvenance(file: string): Promise<FileProvenance> {
  const meta = decodeMeta((await readArrowSchema(file)).metadata);
  if ('missing' in meta) throw new ElasticityError(`stage metadata "${meta.missing}" is missing`, { file, field: `metadata.${meta.missing}` });
  const extra: Record<string, string> = {};
  for (const key of SHOWN_EXTRA) if (meta.extra[key] !== undefined) extra[key] = meta.extra[key];
  return { file: relative(process.cwd(), file), stage: meta.stage, seed: meta.seed, params: meta.params, inputs: meta.inputs, extra };
}

/** "sha256 prefix  path" lines for a table cell. */
export function formatInputs(inputs: Record<string, string>): string {
  const entries = Object.entries(inputs);
  if (entries.length === 0) return '(none: generated)';
  return entries.map(([path, hash]) => `${path} ${hash.slice(0, 12)}`).join('; ');
}
