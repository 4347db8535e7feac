import { FEATURES_CONTRACT } from './contract.ts';
import { readContractFile, writeContractFile } from './table-io.ts';
import type { StageMeta } from './metadata.ts';

/** One feature vector per example (baselines: raw pixels, PCA, autoencoder codes, user features). */
export interface FeatureRows {
  kind: string;
  ids: Int32Array;
  /** Row-major n x dim. */
  values: Float64Array;
  dim: number;
}

/** Writes per-example vectors; `extra`: more metadata beside the kind (e.g. the trace of an NTK diagonal). */
export async function writeFeaturesFile(file: string, f: FeatureRows, meta: Omit<StageMeta, 'schemaVersion' | 'extra'>, extra: Record<string, string> = {}): Promise<void> {
  await writeContractFile(file, FEATURES_CONTRACT, { id: f.ids, x: f.values }, { ...meta, extra: { ...extra, kind: f.kind } });
}

export async function readFeaturesFile(file: string): Promise<{ features: FeatureRows; meta: StageMeta }> {
  const t = await readContractFile(file, FEATURES_CONTRACT);
  return {
    features: { kind: t.meta.extra.kind, ids: t.columns.id as Int32Array, values: t.columns.x as Float64Array, dim: t.listSizes.x ?? 0 },
    meta: t.meta,
  };
}
