export { runReport, parseReportConfig } from './report-stage.ts';
export type { ReportOptions, ReportConfig, PipelineResults } from './report-stage.ts';
export { readClusterMetrics } from './results.ts';
export type { ClusterMetrics, ClusterResult, Summary } from './results.ts';
export { formatResultsTable, formatResultsMarkdown } from './table.ts';
export { methodLabel } from './labels.ts';
