import { ElasticityError, assertKnownKeys } from '@elasticity/core';

/**
 * Matrices the similarity stage can build:
 * - relative, kernelized: <probeDir>/<name>.arrow (probe stage);
 * - ntk: <ntkDir>/ntk.arrow, ntk-infinite: <ntkDir>/ntk-infinite.arrow (ntk stage);
 * - activation-cosine: cosine similarity of the hidden ReLU activation patterns
 *   of the model in <modelDir>/model (or init/, see activationFrom).
 */
export const SIMILARITY_SOURCES = ['relative', 'kernelized', 'ntk', 'ntk-infinite', 'activation-cosine'] as const;
export type SimilaritySource = (typeof SIMILARITY_SOURCES)[number];

/** Kernels that may also be written normalised, K_ij / sqrt(K_ii K_jj), as "<source>-normalized". */
export const NORMALIZABLE_SOURCES = ['kernelized', 'ntk', 'ntk-infinite'] as const;
export type NormalizableSource = (typeof NORMALIZABLE_SOURCES)[number];
export const NORMALIZED_SUFFIX = '-normalized';

/** A name in similarity.use: a source, or a normalised kernel. Each becomes <name>.arrow. */
export type SimilarityName = SimilaritySource | `${NormalizableSource}-normalized`;
export const SIMILARITY_NAMES: SimilarityName[] = [
  ...SIMILARITY_SOURCES,
  ...NORMALIZABLE_SOURCES.map((s) => `${s}${NORMALIZED_SUFFIX}` as const),
];

/** The source matrix a name is built from, and whether it is normalised. */
export function parseSimilarityName(name: SimilarityName): { source: SimilaritySource; normalized: boolean } {
  if (name.endsWith(NORMALIZED_SUFFIX)) return { source: name.slice(0, -NORMALIZED_SUFFIX.length) as SimilaritySource, normalized: true };
  return { source: name as SimilaritySource, normalized: false };
}

/** Baseline feature sets computed from the data set itself. */
export const BASELINES = ['raw', 'pca', 'autoencoder'] as const;
export type Baseline = (typeof BASELINES)[number];

/** Training of the convolutional autoencoder baseline (method.md section 4). */
export interface AutoencoderConfig {
  epochs: number;
  batchSize: number;
  /** Adam step size. */
  learningRate: number;
  /** L2 weight decay added to the gradient, as PyTorch Adam's weight_decay. */
  weightDecay: number;
  seed: number;
  /** Train on every example of the data set (as the authors) or only the primary ones; codes are always of the primary ones. */
  trainOn: 'all' | 'primary';
}

export interface SimilarityConfig {
  /** Matrices to write, each symmetrised (S + S^T) / 2. */
  use: SimilarityName[];
  /** Baseline features to write. */
  baselines: Baseline[];
  /** Components kept by the PCA baseline (capped at min(n, d)). */
  pcaComponents: number;
  autoencoder: AutoencoderConfig;
  /**
   * User-supplied feature files, name -> Arrow file (relative paths are
   * relative to the pipeline file's folder), copied to <name>.arrow over the
   * primary examples: e.g. ImageNet ResNet-152 features computed elsewhere.
   */
  features: Record<string, string>;
  /** Weights whose ReLU patterns activation-cosine compares: the trained model (model/) or the initial one (init/). */
  activationFrom: 'trained' | 'init';
}

export const AUTOENCODER_DEFAULTS: AutoencoderConfig = {
  epochs: 20, batchSize: 100, learningRate: 1e-3, weightDecay: 1e-5, seed: 0, trainOn: 'all',
};

export const SIMILARITY_DEFAULTS: SimilarityConfig = {
  use: ['relative', 'kernelized', 'ntk'],
  baselines: ['raw', 'pca'],
  pcaComponents: 100,
  autoencoder: AUTOENCODER_DEFAULTS,
  features: {},
  activationFrom: 'trained',
};

const FEATURE_NAME = /^[A-Za-z0-9][A-Za-z0-9_-]*$/;

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Applies defaults to the pipeline's `similarity` section and validates every key. */
export function parseSimilarityConfig(section: unknown, file: string): SimilarityConfig {
  if (section === undefined || section === null) return structuredClone(SIMILARITY_DEFAULTS);
  if (!isObject(section)) throw new ElasticityError('must be an object', { file, field: 'similarity' });
  const raw = section;
  const known = Object.keys(SIMILARITY_DEFAULTS);
  assertKnownKeys(raw, known, { file, path: 'similarity' });
  const config: SimilarityConfig = {
    use: raw.use === undefined ? [...SIMILARITY_DEFAULTS.use] : nameList(raw.use, SIMILARITY_NAMES, file, 'similarity.use'),
    baselines: raw.baselines === undefined ? [...SIMILARITY_DEFAULTS.baselines] : nameList(raw.baselines, BASELINES, file, 'similarity.baselines'),
    pcaComponents: raw.pcaComponents === undefined ? SIMILARITY_DEFAULTS.pcaComponents : integer(raw.pcaComponents, 1, file, 'similarity.pcaComponents'),
    autoencoder: parseAutoencoder(raw.autoencoder, file),
    features: parseFeatures(raw.features, file),
    activationFrom: SIMILARITY_DEFAULTS.activationFrom,
  };
  if (raw.activationFrom !== undefined) {
    if (raw.activationFrom !== 'trained' && raw.activationFrom !== 'init') {
      throw new ElasticityError(`must be one of trained, init, got ${JSON.stringify(raw.activationFrom)}`, { file, field: 'similarity.activationFrom' });
    }
    config.activationFrom = raw.activationFrom;
  }
  const outputs = [...config.use, ...config.baselines];
  for (const name of Object.keys(config.features)) {
    if (outputs.includes(name as never)) {
      throw new ElasticityError(`"${name}" is already an output of similarity.use or similarity.baselines; choose another name`, { file, field: `similarity.features.${name}` });
    }
  }
  if (outputs.length === 0 && Object.keys(config.features).length === 0) {
    throw new ElasticityError('nothing to do: similarity.use, similarity.baselines and similarity.features are all empty', { file, field: 'similarity.use' });
  }
  return config;
}

function integer(v: unknown, min: number, file: string, field: string): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min) {
    throw new ElasticityError(`must be ${min === 1 ? 'a positive integer' : `an integer >= ${min}`}, got ${JSON.stringify(v)}`, { file, field });
  }
  return v;
}

function parseAutoencoder(value: unknown, file: string): AutoencoderConfig {
  const out = { ...AUTOENCODER_DEFAULTS };
  if (value === undefined) return out;
  const field = 'similarity.autoencoder';
  if (!isObject(value)) throw new ElasticityError('must be an object', { file, field });
  const known = Object.keys(AUTOENCODER_DEFAULTS);
  assertKnownKeys(value, known, { file, path: field });
  if (value.epochs !== undefined) out.epochs = integer(value.epochs, 1, file, `${field}.epochs`);
  if (value.batchSize !== undefined) out.batchSize = integer(value.batchSize, 1, file, `${field}.batchSize`);
  if (value.seed !== undefined) out.seed = integer(value.seed, 0, file, `${field}.seed`);
  for (const key of ['learningRate', 'weightDecay'] as const) {
    const v = value[key];
    if (v === undefined) continue;
    const positive = key === 'learningRate';
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0 || (positive && v === 0)) {
      throw new ElasticityError(`must be a ${positive ? 'positive' : 'non-negative'} number, got ${JSON.stringify(v)}`, { file, field: `${field}.${key}` });
    }
    out[key] = v;
  }
  if (value.trainOn !== undefined) {
    if (value.trainOn !== 'all' && value.trainOn !== 'primary') {
      throw new ElasticityError(`must be one of all, primary, got ${JSON.stringify(value.trainOn)}`, { file, field: `${field}.trainOn` });
    }
    out.trainOn = value.trainOn;
  }
  return out;
}

function parseFeatures(value: unknown, file: string): Record<string, string> {
  if (value === undefined) return {};
  if (!isObject(value)) throw new ElasticityError('must be an object { name: "path/to/features.arrow" }', { file, field: 'similarity.features' });
  const out: Record<string, string> = {};
  for (const [name, path] of Object.entries(value)) {
    const field = `similarity.features.${name}`;
    if (!FEATURE_NAME.test(name)) throw new ElasticityError('name must be letters, digits, - and _ (it becomes <name>.arrow)', { file, field });
    if (typeof path !== 'string' || path.length === 0) throw new ElasticityError(`must be the path of an Arrow file, got ${JSON.stringify(path)}`, { file, field });
    out[name] = path;
  }
  return out;
}

function nameList<T extends string>(value: unknown, allowed: readonly T[], file: string, field: string): T[] {
  if (!Array.isArray(value)) throw new ElasticityError(`must be a list of names (allowed: ${allowed.join(', ')})`, { file, field });
  const out: T[] = [];
  value.forEach((v, i) => {
    if (typeof v !== 'string' || !allowed.includes(v as T)) {
      throw new ElasticityError(`${JSON.stringify(v)} is not one of ${allowed.join(', ')}`, { file, field: `${field}[${i}]` });
    }
    if (out.includes(v as T)) throw new ElasticityError(`"${v}" is listed twice`, { file, field: `${field}[${i}]` });
    out.push(v as T);
  });
  return out;
}
