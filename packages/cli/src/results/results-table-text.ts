import { formatMatrixMarkdown, formatMatrixTable, matrixTableCaption } from '@elasticity/report';
import type { ResultsTable } from './results-table.ts';

/**
 * What `elasticity table` prints: which suite and how much of it is done
 * (and the combinations still missing), the caption, and the table as text
 * or Markdown. Averaged over a seed axis, each cell also shows the 95%
 * t-interval of its mean.
 */
export function resultsTableText(rt: ResultsTable, options: { folder: string; markdown: boolean }): string {
  const only = Object.entries(rt.selection).map(([axis, label]) => `${axis}=${label}`).join(',');
  const done = rt.expected.length - rt.missing.length;
  const lines = [`${rt.pipeline}${only ? ` --only ${only}` : ''}: ${done} of ${rt.expected.length} combinations done (${options.folder})`];
  if (rt.missing.length > 0) lines.push(`missing: ${rt.missing.join(', ')}`);
  const format = { interval: rt.table.over !== undefined };
  lines.push('', matrixTableCaption(rt.table, format), '');
  lines.push(options.markdown ? formatMatrixMarkdown(rt.table, format) : formatMatrixTable(rt.table, format));
  return `${lines.join('\n')}\n`;
}
