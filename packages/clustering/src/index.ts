export { parseClusterConfig, CLUSTER_DEFAULTS, CLUSTER_METHODS, EIGEN_SOLVERS } from './cluster-config.ts';
export type { ClusterConfig, ClusterJob, ClusterMethod } from './cluster-config.ts';
export { runCluster } from './cluster-stage.ts';
export type { ClusterOptions, ClusterMetrics, ClusterMethodResult } from './cluster-stage.ts';

export type { ClusteringResult, RestartOptions } from './clustering-result.ts';
export { kmeansRows } from './kmeans-rows.ts';
export type { KmeansRowsOptions } from './kmeans-rows.ts';
export { kernelKmeans, checkKernel } from './kernel-kmeans.ts';
export type { KernelKmeansOptions } from './kernel-kmeans.ts';
export { spectralClustering } from './spectral.ts';
export type { SpectralEmbeddingOptions } from './spectral.ts';
export type { EigenSolver } from './eigen/top-eigenpairs.ts';

export { clusteringAccuracy } from './metrics/accuracy.ts';
export { adjustedRandIndex } from './metrics/ari.ts';
export { normalizedMutualInformation } from './metrics/nmi.ts';
