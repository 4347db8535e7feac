import type { PipelineResults } from '@elasticity/report';

/**
 * One finished combination of a matrix pipeline, as a small JSON file of a
 * results folder (RESULTS/<combination id>.json, tracked in git). It is a
 * pipeline results document (pipeline, dataset, params, training, results),
 * so `elasticity compare` and the matrix table read it as they read a
 * report's results.json, plus what places it in its suite and where its
 * numbers come from.
 */
export interface CombinationResults {
  pipeline: string;
  title: string;
  /** The combination id (its labels joined by "."), e.g. "paper.sample.5v8.relu-mse". */
  combination: string;
  /** Its label on each axis. */
  labels: Record<string, string>;
  /** The pipeline's axes with all their labels, in declared order (what the suite could hold). */
  matrix: { axis: string; labels: string[] }[];
  /**
   * The suite the combination was run as part of: the --only filter of the
   * run (axis -> label; {} for every combination). The table expects every
   * combination of the matrix that the files' selections agree on.
   */
  selection: Record<string, string>;
  dataset: PipelineResults['dataset'];
  /** The effective pipeline sections of the combination. */
  params?: Record<string, unknown>;
  /** Final training loss, training and held-out accuracy (null where not measured), model settings and backend. */
  training?: PipelineResults['training'];
  /** k, the number of clustering seeds and the chance level. */
  clustering?: PipelineResults['clustering'];
  /** Every clustering method: accuracy, ARI and NMI, each mean ± sd over the clustering seeds (with the values). */
  results: PipelineResults['results'];
  /**
   * Wall-clock seconds of each stage instance the combination used, by Nx
   * task name (ingest, train, probe-shard-0, probe, ...), from the timings
   * file of the run that last computed it; null where there is none (an
   * output restored from another machine's cache). An instance shared by
   * several combinations (a data set, a trained model) appears in each.
   */
  timings: Record<string, number | null>;
  provenance: CombinationProvenance;
}

/** Where the numbers come from. */
export interface CombinationProvenance {
  /** The commit of the code that wrote the combination's report, its date, and whether tracked files differed from it. */
  git?: { commit: string; date: string; dirty: boolean };
  /** The TensorFlow.js backend that trained the model. */
  backend?: unknown;
  /** Node.js version of the report's run. */
  node?: string;
  /** Versions of TensorFlow.js, apache-arrow, Nx and vega, by package name. */
  packages?: Record<string, string>;
  machine?: { cpu: string; cores: number; memoryGiB: number; os: string };
  /** SHA-256 of every file the report read (data set, training metrics, similarity matrices, clustering metrics), by path. */
  inputs: Record<string, string>;
}

/** What places a combination in its suite (CombinationResults' own fields beside the report's). */
export interface CombinationPlace {
  pipeline: string;
  combination: string;
  labels: Record<string, string>;
  matrix: CombinationResults['matrix'];
  selection: Record<string, string>;
}

/**
 * The combination's file from its report's results.json and its stage
 * timings: the report's params, training, clustering and results as they
 * are; its figures and the per-file provenance list left out (the report
 * folder keeps them); environment and input hashes as `provenance`.
 */
export function combinationResults(place: CombinationPlace, report: PipelineResults, timings: Record<string, number | null>): CombinationResults {
  const environment = report.metadata?.environment;
  return {
    pipeline: place.pipeline,
    title: report.title,
    combination: place.combination,
    labels: place.labels,
    matrix: place.matrix,
    selection: place.selection,
    dataset: report.dataset,
    ...(report.params ? { params: report.params } : {}),
    ...(report.training ? { training: report.training } : {}),
    ...(report.clustering ? { clustering: report.clustering } : {}),
    results: report.results,
    timings,
    provenance: {
      ...(environment?.git ? { git: environment.git } : {}),
      ...(report.training ? { backend: report.training.backend } : {}),
      ...(environment ? { node: environment.node, packages: environment.packages, machine: environment.machine } : {}),
      inputs: report.metadata?.reportInputs ?? {},
    },
  };
}
