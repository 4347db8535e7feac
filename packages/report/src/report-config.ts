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
}

export const REPORT_DEFAULTS = { bins: 12, components: 10, heatmapCells: 40 } as const;

/** The `report` section: every key optional, defaults applied. */
export const REPORT_SCHEMA = z.strictObject({
  title: z.string().optional().describe('Title of the report page (default: "<pipeline name>: <data set name>").'),
  bins: z.int().min(1).max(200).default(REPORT_DEFAULTS.bins).describe('Bins of geodesic distance for the binned means (synthetic data).'),
  components: z.int().min(1).max(100).default(REPORT_DEFAULTS.components).describe('Eigen-components of the kernel distance (method.md section 6: 10).'),
  heatmapCells: z.int().min(2).max(200).default(REPORT_DEFAULTS.heatmapCells).describe('Largest heatmap grid side; bigger matrices are shown as block means.'),
}).describe('Report stage: tables, figures and the HTML page.');

/** Applies defaults to the `report` section and validates every key. */
export const parseReportConfig = sectionParser<ReportConfig>('report', REPORT_SCHEMA);
