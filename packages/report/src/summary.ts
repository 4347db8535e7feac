import { formatResultsTable } from './table.ts';
import type { PipelineResults } from './pipeline-results.ts';

/** What `elasticity run` and `elasticity report` print: the geodesic correlations and the clustering table. */
export function formatPipelineSummary(r: PipelineResults): string {
  const lines: string[] = [];
  for (const g of r.geodesic ?? []) {
    lines.push(`${g.measure} (${g.source}) vs geodesic distance, ${g.pairs} pairs: Pearson ${g.pearson.toFixed(4)}, Spearman ${g.spearman.toFixed(4)}`);
  }
  if (r.results.length > 0) {
    if (lines.length > 0) lines.push('');
    lines.push(formatResultsTable(r.results));
  }
  if (lines.length === 0) lines.push('(no clustering and no geodesic analysis in this pipeline)');
  return lines.join('\n');
}
