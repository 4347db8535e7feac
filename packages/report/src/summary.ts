import { formatResultsTable } from './table.ts';
import { joinAnd, plural } from './plural.ts';
import type { PipelineResults } from './pipeline-results.ts';

/**
 * The chance level under the clustering table: the expected matched accuracy
 * of a random labelling of these classes (see chanceAccuracy), and ARI's 0.
 */
export function chanceLine(r: PipelineResults): string | undefined {
  const c = r.clustering?.chance;
  if (!c) return undefined;
  return `chance: accuracy ${c.accuracy.toFixed(4)} (a random labelling into ${plural(r.clustering!.k, 'cluster')}, best matching; classes of ${joinAnd(c.classSizes.map(String))}), ARI 0`;
}

/** What `elasticity run` and `elasticity report` print: the geodesic correlations, the clustering table and its chance level. */
export function formatPipelineSummary(r: PipelineResults): string {
  const lines: string[] = [];
  for (const g of r.geodesic ?? []) {
    lines.push(`${g.measure} (${g.source}) vs geodesic distance, ${plural(g.pairs, 'pair')}: Pearson ${g.pearson.toFixed(4)}, Spearman ${g.spearman.toFixed(4)}`);
  }
  if (r.results.length > 0) {
    if (lines.length > 0) lines.push('');
    lines.push(formatResultsTable(r.results));
    const chance = chanceLine(r);
    if (chance) lines.push(chance);
  }
  if (lines.length === 0) lines.push('(no clustering and no geodesic analysis in this pipeline)');
  return lines.join('\n');
}
