import type { Logger, StageMeta } from '@elasticity/core';
import type { SimilarityConfig, SimilaritySource } from './similarity-config.ts';

/** Where one source matrix comes from: a matrix file of an upstream stage, or a model. */
export interface SourcePlan {
  source: SimilaritySource;
  /** The pipeline field that first names this source (similarity.use[i] or similarity.neighbours.of[i]), for messages. */
  field: string;
  /** Write the symmetrised source itself, and/or its normalised version. */
  plain: boolean;
  normalized: boolean;
  /** Rank its unsymmetrised rows into neighbours-<source>.arrow. */
  neighbours: boolean;
  /** The matrix file, or model.json of the model. */
  file: string;
  /** Files hashed as inputs. */
  inputs: string[];
}

/** The stage's output folder, its metadata, its log and its section. */
export interface StageWrite {
  dir: string;
  meta: Omit<StageMeta, 'schemaVersion' | 'extra'>;
  log: Logger;
  config: SimilarityConfig;
  pipelineFile: string;
}

export const seconds = (started: number) => ((performance.now() - started) / 1000).toFixed(2);
