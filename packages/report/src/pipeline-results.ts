import type { ClusterResult } from './results.ts';
import type { GeodesicAnalysis } from './geodesic-analysis.ts';
import type { ElasticityRatio } from './elasticity-ratio.ts';
import type { FileProvenance } from './run-metadata.ts';
import type { RunEnvironment } from './run-environment.ts';
import type { NeighboursSummary } from './neighbours-gallery.ts';

/** One measure against geodesic distance, as results.json keeps it (the scatter stays in the figure). */
export type GeodesicSummary = Omit<GeodesicAnalysis, 'scatter'>;

export interface FigureRef {
  id: string;
  caption: string;
  /** SVG file, relative to the report folder. */
  file: string;
}

/** What one pipeline run produced: written as results.json and read by `run` and the cross-pipeline report. */
export interface PipelineResults {
  pipeline: string;
  title: string;
  dataset: { name: string; examples: number; primary: number; synthetic?: string };
  training?: {
    model: string; width: unknown; loss: string; epochs: number; backend: unknown;
    /** Kernel of the SGD steps: 'onnx' or 'tfjs' (absent in results written before the onnx kernel: tfjs). */
    kernel?: unknown;
    finalLoss: number; trainAccuracy: number; testAccuracy: number;
    lr?: unknown; batch?: unknown; seed?: unknown; activation?: unknown;
  };
  /** The effective pipeline sections of the run (as the CLI passes them), so runs can be compared parameter by parameter. */
  params?: Record<string, unknown>;
  /** Clustering results (empty when the pipeline does not cluster). */
  results: ClusterResult[];
  /**
   * k and the clustering seeds; chance: the expected matched accuracy of a
   * random labelling of the primary examples (see chanceAccuracy), the
   * fraction of the largest class, and the class sizes they come from.
   */
  clustering?: { k: number; seeds: number; chance?: { accuracy: number; majority: number; classSizes: number[] } };
  /** Per similarity matrix (source: its kind), the elasticity ratio over the primary examples: mean within a class, mean between classes, their ratio (elasticity-ratio.ts). */
  elasticity?: Array<{ source: string } & ElasticityRatio>;
  /** Synthetic data: similarity and kernel distance against geodesic distance. */
  geodesic?: GeodesicSummary[];
  /** Elastic neighbours (similarity.neighbours): per probe matrix ranked, the class agreement of the most and least moved and the gallery's examples. */
  neighbours?: NeighboursSummary[];
  figures?: FigureRef[];
  /** Provenance of every upstream Arrow file the report read, and the SHA-256 of each of the report's inputs. */
  metadata?: { files: FileProvenance[]; reportInputs: Record<string, string>; environment?: RunEnvironment };
}
