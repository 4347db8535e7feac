import { distinctItems, expectAs, formatValue, sectionParser, suggestName, whenValid, z } from '@elasticity/core';

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

/** Probe matrices whose rows can be ranked into elastic neighbours. */
export const NEIGHBOUR_SOURCES = ['relative', 'kernelized'] as const;
export type NeighbourSource = (typeof NEIGHBOUR_SOURCES)[number];

/** Elastic neighbours: for each probed example, the k most and k least moved others of its (unsymmetrised) probe row. */
export interface NeighboursConfig {
  /** Neighbours per side; 0 writes none. */
  k: number;
  /** Probe matrices ranked, each into neighbours-<name>.arrow. */
  of: NeighbourSource[];
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
  neighbours: NeighboursConfig;
  /**
   * MB the stage may hold: a probe or NTK matrix larger than that is
   * symmetrised, normalised and ranked in row blocks from its file, through
   * a scratch copy of its columns in the stage's folder.
   */
  memoryMb: number;
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
  neighbours: { k: 0, of: ['relative', 'kernelized'] },
  memoryMb: 4096,
};

const FEATURE_NAME = /^[A-Za-z0-9][A-Za-z0-9_-]*$/;

/** A list of names from `allowed`, each at most once ("\"cosine\" is not one of ...", "\"ntk\" is listed twice"). */
function nameList<T extends string>(allowed: readonly T[]) {
  const name = z.enum(allowed, {
    error: (iss) => {
      const suggestion = typeof iss.input === 'string' ? suggestName(iss.input, allowed) : undefined;
      return `${formatValue(iss.input)} is not one of ${allowed.join(', ')}${suggestion ? ` (did you mean "${suggestion}"?)` : ''}`;
    },
  });
  return z.array(name).superRefine(distinctItems());
}

const AUTOENCODER_SCHEMA = z.strictObject({
  epochs: z.int().min(1).default(AUTOENCODER_DEFAULTS.epochs),
  batchSize: z.int().min(1).default(AUTOENCODER_DEFAULTS.batchSize),
  learningRate: z.number().gt(0).default(AUTOENCODER_DEFAULTS.learningRate).describe('Adam step size.'),
  weightDecay: z.number().min(0).default(AUTOENCODER_DEFAULTS.weightDecay).describe('L2 weight decay added to the gradient, as PyTorch Adam\'s weight_decay.'),
  seed: z.int().min(0).default(AUTOENCODER_DEFAULTS.seed),
  trainOn: z.enum(['all', 'primary']).default(AUTOENCODER_DEFAULTS.trainOn)
    .describe('Train on every example of the data set (as the authors) or only the primary ones; codes are always of the primary ones.'),
}).default(() => ({ ...AUTOENCODER_DEFAULTS })).describe('Training of the convolutional autoencoder baseline (method.md section 4).');

const NEIGHBOURS_SCHEMA = z.strictObject({
  k: z.int().min(0).default(SIMILARITY_DEFAULTS.neighbours.k).describe('Neighbours per side (most and least moved) of each probed example; 0 writes none. At most the number of primary examples - 1.'),
  of: nameList(NEIGHBOUR_SOURCES).min(1, { error: 'name at least one probe matrix to rank' }).default(() => [...SIMILARITY_DEFAULTS.neighbours.of])
    .describe('Probe matrices whose unsymmetrised rows are ranked, each into neighbours-<name>.arrow.'),
}).default(() => ({ ...SIMILARITY_DEFAULTS.neighbours, of: [...SIMILARITY_DEFAULTS.neighbours.of] }))
  .describe('Elastic neighbours: for each probed example, the k examples one step at it moves the most and the k it moves the least.');

const FEATURES_SCHEMA = expectAs(z.record(
  z.string().regex(FEATURE_NAME, { error: 'name must be letters, digits, - and _ (it becomes <name>.arrow)' }),
  z.string({ error: (iss) => `must be the path of an Arrow file, got ${formatValue(iss.input)}` }).min(1),
), 'an object { name: "path/to/features.arrow" }');

/** The `similarity` section: every key optional, defaults applied; a feature name may not repeat an output name, and there must be something to do. */
export const SIMILARITY_SCHEMA = z.strictObject({
  use: nameList(SIMILARITY_NAMES).default(() => [...SIMILARITY_DEFAULTS.use])
    .describe('Matrices to write, each symmetrised (S + S^T) / 2; "<kernel>-normalized" is K_ij / sqrt(K_ii K_jj).'),
  baselines: nameList(BASELINES).default(() => [...SIMILARITY_DEFAULTS.baselines]).describe('Baseline features computed from the data set itself.'),
  pcaComponents: z.int().min(1).default(SIMILARITY_DEFAULTS.pcaComponents).describe('Components kept by the PCA baseline (capped at min(n, d)).'),
  autoencoder: AUTOENCODER_SCHEMA,
  features: FEATURES_SCHEMA.default(() => ({}))
    .describe('User-supplied feature files, name -> Arrow file (relative to the pipeline file\'s folder), copied to <name>.arrow.'),
  activationFrom: z.enum(['trained', 'init']).default(SIMILARITY_DEFAULTS.activationFrom)
    .describe('Weights whose ReLU patterns activation-cosine compares: the trained model or the initial one.'),
  neighbours: NEIGHBOURS_SCHEMA,
  memoryMb: z.number().min(1).default(SIMILARITY_DEFAULTS.memoryMb)
    .describe('MB the stage may hold: a probe or NTK matrix that does not fit is symmetrised, normalised and ranked in row blocks from its file (a scratch copy of its columns on disk); smaller ones are read whole.'),
}).superRefine((config, ctx) => {
  const outputs: string[] = [...config.use, ...config.baselines];
  for (const name of Object.keys(config.features)) {
    if (outputs.includes(name)) {
      ctx.addIssue({ code: 'custom', path: ['features', name], message: `"${name}" is already an output of similarity.use or similarity.baselines; choose another name` });
    }
  }
  if (outputs.length === 0 && Object.keys(config.features).length === 0 && config.neighbours.k === 0) {
    ctx.addIssue({ code: 'custom', path: ['use'], message: 'nothing to do: similarity.use, similarity.baselines and similarity.features are all empty (and neighbours.k is 0)' });
  }
}, whenValid).describe('Similarity stage: the matrices and baseline features the clusters and the report compare.');

/** Applies defaults to the pipeline's `similarity` section and validates every key. */
export const parseSimilarityConfig = sectionParser<SimilarityConfig>('similarity', SIMILARITY_SCHEMA);
