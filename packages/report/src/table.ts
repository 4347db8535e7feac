import { methodLabel } from './labels.ts';
import type { ClusterResult } from './results.ts';

function pm(mean: number, sd: number, seeds: number): string {
  return seeds > 1 ? `${mean.toFixed(4)} ± ${sd.toFixed(4)}` : mean.toFixed(4);
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
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c].length)));
  const line = (cells: string[]) => cells.map((cell, c) => cell.padEnd(widths[c])).join('  ').trimEnd();
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

/** The same table in Markdown. */
export function formatResultsMarkdown(results: ClusterResult[]): string {
  const rows = results.map((r) => {
    const n = r.accuracy.values.length;
    return `| ${methodLabel(r.input, r.method)} | ${pm(r.accuracy.mean, r.accuracy.sd, n)} | ${pm(r.ari.mean, r.ari.sd, n)} | ${pm(r.nmi.mean, r.nmi.sd, n)} |`;
  });
  return ['| method | accuracy | ARI | NMI |', '|---|---|---|---|', ...rows].join('\n');
}
