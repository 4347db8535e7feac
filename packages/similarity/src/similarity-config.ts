import { ElasticityError } from '@elasticity/core';

/** Matrices the similarity stage can take from upstream stages. */
export const SIMILARITY_SOURCES = ['relative', 'kernelized', 'ntk'] as const;
export type SimilaritySource = (typeof SIMILARITY_SOURCES)[number];

/** Baseline feature sets computed from the data set itself. */
export const BASELINES = ['raw', 'pca'] as const;
export type Baseline = (typeof BASELINES)[number];

export interface SimilarityConfig {
  /** Matrices to symmetrise: relative and kernelized come from the probe stage, ntk from the ntk stage. */
  use: SimilaritySource[];
  /** Baseline features to write. */
  baselines: Baseline[];
  /** Components kept by the PCA baseline (capped at min(n, d)). */
  pcaComponents: number;
}

export const SIMILARITY_DEFAULTS: SimilarityConfig = {
  use: ['relative', 'kernelized', 'ntk'],
  baselines: ['raw', 'pca'],
  pcaComponents: 100,
};

/** Applies defaults to the pipeline's `similarity` section and validates every key. */
export function parseSimilarityConfig(section: unknown, file: string): SimilarityConfig {
  if (section === undefined || section === null) return structuredClone(SIMILARITY_DEFAULTS);
  if (typeof section !== 'object' || Array.isArray(section)) {
    throw new ElasticityError('must be an object', { file, field: 'similarity' });
  }
  const raw = section as Record<string, unknown>;
  const known = Object.keys(SIMILARITY_DEFAULTS);
  for (const key of Object.keys(raw)) {
    if (!known.includes(key)) throw new ElasticityError(`unknown key (allowed: ${known.join(', ')})`, { file, field: `similarity.${key}` });
  }
  const config: SimilarityConfig = {
    use: raw.use === undefined ? [...SIMILARITY_DEFAULTS.use] : nameList(raw.use, SIMILARITY_SOURCES, file, 'similarity.use'),
    baselines: raw.baselines === undefined ? [...SIMILARITY_DEFAULTS.baselines] : nameList(raw.baselines, BASELINES, file, 'similarity.baselines'),
    pcaComponents: SIMILARITY_DEFAULTS.pcaComponents,
  };
  if (raw.pcaComponents !== undefined) {
    const v = raw.pcaComponents;
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 1) {
      throw new ElasticityError(`must be a positive integer, got ${JSON.stringify(v)}`, { file, field: 'similarity.pcaComponents' });
    }
    config.pcaComponents = v;
  }
  if (config.use.length === 0 && config.baselines.length === 0) {
    throw new ElasticityError('nothing to do: both similarity.use and similarity.baselines are empty', { file, field: 'similarity.use' });
  }
  return config;
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
