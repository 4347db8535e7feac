/**
 * Clustering inputs that depend on the network (the similarity stage's
 * matrices: probed similarities, NTKs, activation patterns, and their
 * normalised kernels). Every other input (raw pixels, PCA, the autoencoder
 * code, user feature files) is a baseline: computed from the data set alone,
 * the same for every model on that data set.
 */
const MODEL_SOURCES = ['relative', 'kernelized', 'ntk', 'ntk-infinite', 'activation-cosine'];
const NORMALIZED_SUFFIX = '-normalized';

/** Whether a clustering input depends on the model (a similarity matrix) rather than on the data alone. */
export function isModelInput(input: string): boolean {
  const source = input.endsWith(NORMALIZED_SUFFIX) ? input.slice(0, -NORMALIZED_SUFFIX.length) : input;
  return MODEL_SOURCES.includes(source);
}

/** A baseline input: raw, pca, autoencoder or a user feature file; the same across models on one data set. */
export function isBaselineInput(input: string): boolean {
  return !isModelInput(input);
}
