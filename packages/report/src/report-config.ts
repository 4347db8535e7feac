import { sectionParser, z } from '@elasticity/core';

/** The pipeline's `report` section. */
export interface ReportConfig {
  title?: string;
  /** Bins of geodesic distance for the binned means (synthetic data). */
  bins: number;
  /** Eigen-components of the kernel distance (method.md section 6: 10). */
  components: number;
  /** Largest heatmap grid side; bigger matrices are shown as block means. */
  heatmapCells: number;
  /** Memory (MB) the stage may use for a similarity matrix: a larger one is read from its file in row blocks (default 4096). */
  memoryMb: number;
}

export const REPORT_DEFAULTS = { bins: 12, components: 10, heatmapCells: 40, memoryMb: 4096 } as const;

/** The `report` section: every key optional, defaults applied. */
export const REPORT_SCHEMA = z.strictObject({
  title: z.string().optional().describe('Title of the report page (default: "<pipeline name>: <data set name>").'),
  bins: z.int().min(1).max(200).default(REPORT_DEFAULTS.bins).describe('Bins of geodesic distance for the binned means (synthetic data).'),
  components: z.int().min(1).max(100).default(REPORT_DEFAULTS.components).describe('Eigen-components of the kernel distance (method.md section 6: 10).'),
  heatmapCells: z.int().min(2).max(200).default(REPORT_DEFAULTS.heatmapCells).describe('Largest heatmap grid side; bigger matrices are shown as block means.'),
  memoryMb: z.number().min(1).default(REPORT_DEFAULTS.memoryMb)
    .describe('Memory (MB) for a similarity matrix: a larger one is read from its file in row blocks for the heatmaps and elasticity ratios (the geodesic analysis of synthetic data holds its matrices whole).'),
}).describe('Report stage: tables, figures and the HTML page.');

/** Applies defaults to the `report` section and validates every key. */
export const parseReportConfig = sectionParser<ReportConfig>('report', REPORT_SCHEMA);
