import { distinctItems, expectAs, sectionParser, z } from '@elasticity/core';
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
  /**
   * MB the stage may hold: a matrix input that does not fit is read from
   * its file in row blocks, one pass per step of the algorithm (all seeds
   * and restarts sharing each pass).
   */
  memoryMb: number;
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
  memoryMb: 4096,
};

const INPUT_NAME = /^[A-Za-z0-9][A-Za-z0-9_-]*$/;

/** An integer of at least `min`, named in messages as "an integer >= min". */
const intAtLeast = (min: number) => expectAs(z.int().min(min), `an integer >= ${min}`);

const JOB_SCHEMA = z.strictObject({
  input: z.string().regex(INPUT_NAME, {
    error: (iss) => `must name a similarity output such as raw, pca, relative, kernelized, ntk (letters, digits, - and _), got ${JSON.stringify(iss.input)}`,
  }).describe('Name of a similarity-stage output: <similarityDir>/<input>.arrow (features or matrix).'),
  method: z.enum(CLUSTER_METHODS)
    .describe('"kmeans" (feature rows or matrix rows), "kernel-kmeans" (matrix as kernel; features through X X^T), "spectral" (matrix as affinity).'),
});

/** The `cluster` section: every key optional, defaults applied. */
export const CLUSTER_SCHEMA = z.strictObject({
  k: intAtLeast(2).default(CLUSTER_DEFAULTS.k).describe('Number of clusters.'),
  seeds: intAtLeast(1).default(CLUSTER_DEFAULTS.seeds).describe('Repeated clusterings; metrics report mean and sd over them.'),
  restarts: intAtLeast(1).default(CLUSTER_DEFAULTS.restarts).describe('Initialisations per clustering; the lowest within-cluster sum of squares is kept.'),
  maxIterations: intAtLeast(1).default(CLUSTER_DEFAULTS.maxIterations).describe('Lloyd iterations per initialisation.'),
  eigenSolver: z.enum(EIGEN_SOLVERS).default(CLUSTER_DEFAULTS.eigenSolver)
    .describe('Eigensolver of spectral clustering: "auto" (full decomposition up to 300 examples, block Krylov above), "dense" or "iterative".'),
  methods: z.array(JOB_SCHEMA).min(1)
    .superRefine(distinctItems({ key: (j) => `${j.input}\u0000${j.method}`, message: (j) => `${j.input} with ${j.method} is listed twice` }))
    .default(() => structuredClone(CLUSTER_DEFAULTS.methods)).describe('(input, method) pairs to cluster.'),
  memoryMb: z.number().min(1).default(CLUSTER_DEFAULTS.memoryMb)
    .describe('MB the stage may hold: a matrix input that does not fit is read from its file in row blocks, one pass per step of K-means, kernel K-means or the eigensolver (all seeds and restarts share each pass); smaller ones are read whole.'),
}).describe('Cluster stage: k-means, kernel k-means and spectral clustering of similarity outputs.');

/** Applies defaults to the pipeline's `cluster` section and validates every key. */
export const parseClusterConfig = sectionParser<ClusterConfig>('cluster', CLUSTER_SCHEMA);
