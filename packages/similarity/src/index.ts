// Nothing here needs TensorFlow.js: runSimilarity imports the activation patterns and the
// autoencoder when a pipeline asks for them, so that this entry does not load TensorFlow.js.
export {
  parseSimilarityConfig, parseSimilarityName, SIMILARITY_DEFAULTS, AUTOENCODER_DEFAULTS, SIMILARITY_SOURCES, SIMILARITY_NAMES,
  NORMALIZABLE_SOURCES, NORMALIZED_SUFFIX, BASELINES,
} from './similarity-config.ts';
export type {
  SimilarityConfig, SimilaritySource, SimilarityName, NormalizableSource, Baseline, AutoencoderConfig,
} from './similarity-config.ts';
export { runSimilarity } from './similarity-stage.ts';
export type { SimilarityOptions } from './similarity-stage.ts';

export { symmetrizeMatrix } from './symmetrize-matrix.ts';
export { normalizeKernel } from './normalize-kernel.ts';
export { pcaProject } from './baselines/pca.ts';
export type { PcaResult } from './baselines/pca.ts';
