import { CLUSTERS_CONTRACT } from './contract.ts';
import { readContractFile, writeContractFile } from './table-io.ts';
import type { StageMeta } from './metadata.ts';

export interface ClusterAssignment {
  /** e.g. "kmeans", "kernel-kmeans", "spectral". */
  method: string;
  /** The similarity or features clustered, e.g. "relative", "pca". */
  input: string;
  ids: Int32Array;
  clusters: Int16Array;
  classes: Int16Array;
}

export async function writeClustersFile(file: string, c: ClusterAssignment, meta: Omit<StageMeta, 'schemaVersion' | 'extra'>): Promise<void> {
  await writeContractFile(file, CLUSTERS_CONTRACT, { id: c.ids, cluster: c.clusters, class: c.classes }, {
    ...meta, extra: { method: c.method, input: c.input },
  });
}

export async function readClustersFile(file: string): Promise<{ clusters: ClusterAssignment; meta: StageMeta }> {
  const t = await readContractFile(file, CLUSTERS_CONTRACT);
  return {
    clusters: {
      method: t.meta.extra.method, input: t.meta.extra.input,
      ids: t.columns.id as Int32Array, clusters: t.columns.cluster as Int16Array, classes: t.columns.class as Int16Array,
    },
    meta: t.meta,
  };
}
