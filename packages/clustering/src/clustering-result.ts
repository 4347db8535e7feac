/** The partition found by one clustering run (best over its restarts). */
export interface ClusteringResult {
  /** Cluster of each row, 0..k-1. */
  clusters: Int32Array;
  /** The objective the restarts were ranked by (within-cluster sum of squares). */
  objective: number;
  /** Lloyd iterations of the kept restart. */
  iterations: number;
  /** Whether the kept restart converged before maxIterations. */
  converged: boolean;
  /** Index of the kept restart. */
  restart: number;
}

export interface RestartOptions {
  /** Seed of the whole clustering; each restart gets a seed derived from it. */
  seed: number;
  /** Independent initialisations; the lowest objective is kept (scikit-learn's n_init). Default 10. */
  restarts?: number;
  /** Lloyd iterations per restart. Default 300. */
  maxIterations?: number;
}
