export {
  parseSimilarityConfig, parseSimilarityName, SIMILARITY_DEFAULTS, AUTOENCODER_DEFAULTS, SIMILARITY_SOURCES, SIMILARITY_NAMES,
  NORMALIZABLE_SOURCES, NORMALIZED_SUFFIX, BASELINES,
} from './similarity-config.ts';
export type {
  SimilarityConfig, SimilaritySource, SimilarityName, NormalizableSource, Baseline, AutoencoderConfig,
} from './similarity-config.ts';
export { runSimilarity } from './similarity-stage.ts';
export type { SimilarityOptions } from './similarity-stage.ts';
export { symmetrizeMatrix, assertOverIds } from './symmetrize-matrix.ts';
export { normalizeKernel } from './normalize-kernel.ts';
// The activation patterns and the autoencoder need TensorFlow.js: runSimilarity imports them
// when a pipeline asks for them, so that this entry does not load TensorFlow.js.
export type { ReluPatterns } from './activation-patterns.ts';
export { rawFeatures } from './baselines/raw.ts';
export { pcaProject, pcaFeatures, pcaComponentCount } from './baselines/pca.ts';
export type { PcaResult } from './baselines/pca.ts';
export type { Autoencoder, AutoencoderOptions, AutoencoderResult, ImageShape } from './baselines/autoencoder.ts';
export { readUserFeatures } from './baselines/feature-file.ts';
