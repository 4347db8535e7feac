/**
 * Prints what a stage's cache key depends on in a pipeline file when the
 * stage reads files outside the workspace: its own section in canonical form
 * (sorted keys; for a matrix stage instance, its effective section) and, for
 * ingest, a fingerprint of the raw data folder (file names, sizes,
 * modification times); for similarity, the user feature files' hashes.
 *
 * Nx runs print-stage-key.ts as a `runtime` input of those targets only
 * (plugin.ts): every other stage's section enters its key as a hash the
 * plugin computes, printed by a shell `echo`, which costs no Node start.
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { dirname, join, resolve } from 'node:path';
import { stableStringify } from '@elasticity/core/light';
import { STAGES } from '@elasticity/pipeline';

export async function stageKey(file: string, stage: string, instanceKey?: string): Promise<string> {
  const spec = STAGES.find((s) => s.name === stage);
  if (!spec) throw new Error(`unknown stage ${stage}`);
  let section: unknown;
  if (instanceKey) {
    // a matrix stage instance: its effective section (loaded only for the few instances that read files outside the pipeline)
    const { findInstance, planPipeline, readPipeline } = await import('@elasticity/pipeline');
    try {
      section = findInstance(planPipeline(readPipeline(file)), spec.name, instanceKey).instance.section ?? null;
    } catch {
      return 'invalid pipeline'; // the stage reports why when it runs
    }
  } else {
    let sections: Record<string, unknown>;
    try {
      sections = JSON.parse(readFileSync(file, 'utf8'));
    } catch {
      return 'unreadable pipeline'; // the stage reports why when it runs
    }
    section = sections?.[spec.section] ?? null;
  }
  const key = stableStringify(section);
  if (stage === 'ingest') return `${key}\n${await rawDataFingerprint(section, file)}`;
  if (stage === 'similarity') return `${key}\n${featureFilesFingerprint(section, file)}`;
  return key;
}

/**
 * User feature files named in similarity.features (paths relative to the
 * pipeline file's folder): their contents, hashed, since they live outside
 * any stage's outputs.
 */
function featureFilesFingerprint(section: unknown, file: string): string {
  const features = (section as { features?: unknown } | null)?.features;
  if (features === null || typeof features !== 'object') return 'no feature files';
  const entries = Object.entries(features as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b)).map(([name, path]) => {
    if (typeof path !== 'string') return [name, 'invalid'];
    try {
      return [name, createHash('sha256').update(readFileSync(resolve(dirname(file), path))).digest('hex')];
    } catch {
      return [name, 'missing'];
    }
  });
  return stableStringify(entries);
}

/** The raw data folder the ingest stage will read, as names, sizes and times. */
async function rawDataFingerprint(section: unknown, file: string): Promise<string> {
  // Loaded only for ingest: the datasets package knows each source's default folder.
  const { parseIngestConfig } = await import('@elasticity/datasets');
  let path: string | null;
  try {
    const config = parseIngestConfig(section, file);
    path = 'path' in config ? config.path : null;
  } catch {
    return 'invalid section';
  }
  if (path === null) return 'no raw folder';
  try {
    const entries = readdirSync(path).sort().map((name) => {
      const st = statSync(join(path, name));
      return [name, st.size, Math.round(st.mtimeMs)];
    });
    return stableStringify(entries);
  } catch {
    return `missing ${path}`;
  }
}
