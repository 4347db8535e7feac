import { methodLabel } from './labels.ts';
import type { ClusterResult } from './results.ts';

function pm(mean: number, sd: number, seeds: number): string {
  return seeds > 1 ? `${mean.toFixed(4)} ± ${sd.toFixed(4)}` : mean.toFixed(4);
}

/**
 * A plain-text table with aligned columns: header lines (each as many cells
 * as the rows), a rule, then the rows; columns two spaces apart, trailing
 * blanks trimmed.
 */
export function formatTextTable(headers: string[][], rows: string[][]): string {
  const lines = [...headers, ...rows];
  const columns = Math.max(0, ...lines.map((l) => l.length));
  const widths = Array.from({ length: columns }, (_, c) => Math.max(0, ...lines.map((l) => (l[c] ?? '').length)));
  const line = (cells: string[]) => widths.map((w, c) => (cells[c] ?? '').padEnd(w)).join('  ').trimEnd();
  return [...headers.map(line), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

/** A Markdown table; "|" inside cells is escaped. */
export function markdownTable(header: string[], rows: string[][]): string {
  const line = (cells: string[]) => `| ${cells.map((c) => c.replace(/\|/g, '\\|')).join(' | ')} |`;
  return [line(header), `|${header.map(() => '---').join('|')}|`, ...rows.map(line)].join('\n');
}

/** A plain-text table, one row per clustering: method -> accuracy, ARI, NMI (mean ± sd over seeds). */
export function formatResultsTable(results: ClusterResult[]): string {
  const header = ['method', 'accuracy', 'ARI', 'NMI'];
  const rows = results.map((r) => [
    methodLabel(r.input, r.method),
    pm(r.accuracy.mean, r.accuracy.sd, r.accuracy.values.length),
    pm(r.ari.mean, r.ari.sd, r.ari.values.length),
    pm(r.nmi.mean, r.nmi.sd, r.nmi.values.length),
  ]);
  return formatTextTable([header], rows);
}

/** The same table in Markdown. */
export function formatResultsMarkdown(results: ClusterResult[]): string {
  return markdownTable(['method', 'accuracy', 'ARI', 'NMI'], results.map((r) => {
    const n = r.accuracy.values.length;
    return [methodLabel(r.input, r.method), pm(r.accuracy.mean, r.accuracy.sd, n), pm(r.ari.mean, r.ari.sd, n), pm(r.nmi.mean, r.nmi.sd, n)];
  }));
}
