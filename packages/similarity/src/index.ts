export { parseSimilarityConfig, SIMILARITY_DEFAULTS, SIMILARITY_SOURCES, BASELINES } from './similarity-config.ts';
export type { SimilarityConfig, SimilaritySource, Baseline } from './similarity-config.ts';
export { runSimilarity } from './similarity-stage.ts';
export type { SimilarityOptions } from './similarity-stage.ts';
export { symmetrizeMatrix, assertOverIds } from './symmetrize-matrix.ts';
export { rawFeatures } from './baselines/raw.ts';
export { pcaProject, pcaFeatures, pcaComponentCount } from './baselines/pca.ts';
export type { PcaResult } from './baselines/pca.ts';
