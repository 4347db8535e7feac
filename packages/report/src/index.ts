// The report package's face: the report stage and its `--all` and matrix
// variants, the readers of the results they write, the tables the CLI
// prints, and the analyses a user may call on their own matrices (geodesic
// correlation, kernel distances, chance accuracy, t intervals). Figures,
// labels and table formatting details stay inside.
export { runReport, parseReportConfig } from './report-stage.ts';
export type { ReportOptions, ReportConfig } from './report-stage.ts';
export { REPORT_DEFAULTS } from './report-config.ts';
export type { PipelineResults, GeodesicSummary, FigureRef } from './pipeline-results.ts';
export { runReportAll } from './report-all.ts';
export type { ReportAllOptions, AllResults } from './report-all.ts';
export { readPipelineResults } from './read-pipeline-results.ts';
export { buildMatrixTable } from './matrix-table.ts';
export type { MatrixCombo, MatrixTableOptions, MatrixTable, MatrixColumn, MatrixRow, MatrixCell } from './matrix-table.ts';
export { formatMatrixTable, formatMatrixMarkdown, matrixTableCaption } from './matrix-table-format.ts';
export type { MatrixFormatOptions } from './matrix-table-format.ts';
export { runMatrixReport } from './matrix-report.ts';
export type { MatrixReportOptions } from './matrix-report.ts';
export { readMatrixResults } from './matrix-results.ts';
export type { MatrixResults } from './matrix-results.ts';
export { runSuiteReport } from './suite-report.ts';
export type { SuiteReportOptions, SuiteResults, SuiteEntry } from './suite-report.ts';
export { readClusterMetrics } from './results.ts';
export type { ClusterMetrics, ClusterResult, Summary } from './results.ts';
export { formatPipelineSummary, chanceLine } from './summary.ts';
export { chanceAccuracy } from './chance.ts';
export type { ChanceOptions } from './chance.ts';
export { buildTable1 } from './table1.ts';
export type { Table1 } from './table1.ts';
export { analyzeGeodesics } from './geodesic-analysis.ts';
export type { GeodesicAnalysis, GeodesicMeasure, GeodesicOptions } from './geodesic-analysis.ts';
export { kernelDistances } from './kernel-distance.ts';
export { pearson, spearman } from './stats/correlation.ts';
export { tInterval95 } from './stats/t-interval.ts';
