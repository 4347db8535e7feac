import { ElasticityError, assertKnownKeys } from '@elasticity/core';
import type { EigenSolver } from './eigen/top-eigenpairs.ts';

export const EIGEN_SOLVERS: EigenSolver[] = ['auto', 'dense', 'iterative'];

export const CLUSTER_METHODS = ['kmeans', 'kernel-kmeans', 'spectral'] as const;
export type ClusterMethod = (typeof CLUSTER_METHODS)[number];

export interface ClusterJob {
  /** Name of a similarity-stage output: <similarityDir>/<input>.arrow (features or matrix). */
  input: string;
  method: ClusterMethod;
}

export interface ClusterConfig {
  /** Number of clusters. */
  k: number;
  /** Repeated clusterings (seeds 0..seeds-1 derived from the run seed); metrics report mean and sd over them. */
  seeds: number;
  /** Initialisations per clustering; the lowest within-cluster sum of squares is kept. */
  restarts: number;
  /** Lloyd iterations per initialisation. */
  maxIterations: number;
  /**
   * Eigensolver of spectral clustering: 'auto' (a full decomposition up to
   * 300 examples, the iterative block Krylov solver above), 'dense' or 'iterative'.
   */
  eigenSolver: EigenSolver;
  /**
   * (input, method) pairs. method: 'kmeans' (on feature rows or matrix rows),
   * 'kernel-kmeans' (matrix as kernel; features through the linear kernel X X^T),
   * 'spectral' (matrix as precomputed affinity).
   */
  methods: ClusterJob[];
}

export const CLUSTER_DEFAULTS: ClusterConfig = {
  k: 2,
  seeds: 5,
  restarts: 10,
  maxIterations: 300,
  eigenSolver: 'auto',
  methods: [
    { input: 'raw', method: 'kmeans' },
    { input: 'pca', method: 'kmeans' },
    { input: 'relative', method: 'kmeans' },
    { input: 'kernelized', method: 'kernel-kmeans' },
    { input: 'ntk', method: 'kernel-kmeans' },
  ],
};

const INPUT_NAME = /^[A-Za-z0-9][A-Za-z0-9_-]*$/;

/** Applies defaults to the pipeline's `cluster` section and validates every key. */
export function parseClusterConfig(section: unknown, file: string): ClusterConfig {
  if (section === undefined || section === null) return structuredClone(CLUSTER_DEFAULTS);
  if (typeof section !== 'object' || Array.isArray(section)) throw new ElasticityError('must be an object', { file, field: 'cluster' });
  const raw = section as Record<string, unknown>;
  const known = Object.keys(CLUSTER_DEFAULTS);
  assertKnownKeys(raw, known, { file, path: 'cluster' });
  const int = (key: 'k' | 'seeds' | 'restarts' | 'maxIterations', min: number): number => {
    const v = raw[key];
    if (v === undefined) return CLUSTER_DEFAULTS[key];
    if (typeof v !== 'number' || !Number.isInteger(v) || v < min) {
      throw new ElasticityError(`must be an integer >= ${min}, got ${JSON.stringify(v)}`, { file, field: `cluster.${key}` });
    }
    return v;
  };
  return {
    k: int('k', 2),
    seeds: int('seeds', 1),
    restarts: int('restarts', 1),
    maxIterations: int('maxIterations', 1),
    eigenSolver: eigenSolver(raw.eigenSolver, file),
    methods: raw.methods === undefined ? structuredClone(CLUSTER_DEFAULTS.methods) : parseMethods(raw.methods, file),
  };
}

function eigenSolver(value: unknown, file: string): EigenSolver {
  if (value === undefined) return CLUSTER_DEFAULTS.eigenSolver;
  if (typeof value !== 'string' || !EIGEN_SOLVERS.includes(value as EigenSolver)) {
    throw new ElasticityError(`must be one of ${EIGEN_SOLVERS.join(', ')}, got ${JSON.stringify(value)}`, { file, field: 'cluster.eigenSolver' });
  }
  return value as EigenSolver;
}

function parseMethods(value: unknown, file: string): ClusterJob[] {
  if (!Array.isArray(value) || value.length === 0) {
    throw new ElasticityError('must be a non-empty list of { input, method }', { file, field: 'cluster.methods' });
  }
  const jobs: ClusterJob[] = [];
  value.forEach((entry, i) => {
    const field = `cluster.methods[${i}]`;
    if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) {
      throw new ElasticityError('must be an object { input, method }', { file, field });
    }
    const e = entry as Record<string, unknown>;
    assertKnownKeys(e, ['input', 'method'], { file, path: field });
    if (typeof e.input !== 'string' || !INPUT_NAME.test(e.input)) {
      throw new ElasticityError(
        `must name a similarity output such as raw, pca, relative, kernelized, ntk (letters, digits, - and _), got ${JSON.stringify(e.input)}`,
        { file, field: `${field}.input` },
      );
    }
    if (typeof e.method !== 'string' || !CLUSTER_METHODS.includes(e.method as ClusterMethod)) {
      throw new ElasticityError(`must be one of ${CLUSTER_METHODS.join(', ')}, got ${JSON.stringify(e.method)}`, { file, field: `${field}.method` });
    }
    const job = { input: e.input, method: e.method as ClusterMethod };
    if (jobs.some((j) => j.input === job.input && j.method === job.method)) {
      throw new ElasticityError(`${job.input} with ${job.method} is listed twice`, { file, field });
    }
    jobs.push(job);
  });
  return jobs;
}
