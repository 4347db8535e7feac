import type { CompareReport } from './compare-runs.ts';

/** Shown for an entry one run does not have. */
export const ABSENT = '–';

const MAX_VALUE_WIDTH = 60;

function formatNumber(v: number): string {
  return Number.isInteger(v) ? String(v) : String(Number(v.toPrecision(6)));
}

/** A param or metric value for the table: numbers to 6 significant digits, JSON values truncated. */
export function formatValue(value: unknown): string {
  if (value === undefined) return ABSENT;
  if (typeof value === 'number') return formatNumber(value);
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return text.length > MAX_VALUE_WIDTH ? `${text.slice(0, MAX_VALUE_WIDTH - 1)}…` : text;
}

/** B − A with its sign; empty when either side is not a number. */
export function formatChange(a: unknown, b: unknown): string {
  if (typeof a !== 'number' || typeof b !== 'number') return '';
  const change = b - a;
  return change > 0 ? `+${formatNumber(change)}` : formatNumber(change);
}

/** Rows as columns padded to their widest cell, two spaces apart. */
export function alignColumns(rows: string[][]): string[] {
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, i) => { widths[i] = Math.max(widths[i] ?? 0, [...cell].length); });
  return rows.map((row) => row.map((cell, i) => cell + ' '.repeat(widths[i] - [...cell].length)).join('  ').trimEnd());
}

/** The comparison as text: which runs, then a params table and a metrics table (name, A, B, change), then notes. */
export function formatCompareTable(report: CompareReport): string {
  const side = (label: string, r: CompareReport['a']) => `${label}: ${r.ref}${r.file !== r.ref ? ` (${r.file})` : ''}`;
  const lines = [side('A', report.a), side('B', report.b), ''];
  const table = (title: string, entries: { path: string; a: unknown; b: unknown }[]) => {
    if (entries.length === 0) {
      lines.push(`${title}s: no differences`);
      return;
    }
    lines.push(...alignColumns([[title, 'A', 'B', 'change'], ...entries.map((e) => [e.path, formatValue(e.a), formatValue(e.b), formatChange(e.a, e.b)])]));
  };
  if (report.paramsCompared) table('param', report.params);
  else lines.push('params: not compared (see note)');
  lines.push('');
  table('metric', report.metrics);
  if (report.notes.length > 0) lines.push('', ...report.notes.map((n) => `note: ${n}`));
  return lines.join('\n') + '\n';
}

/** The comparison as JSON: { a, b, params: [{path, a, b}], metrics: [{path, a, b, change}], notes }; absent sides are null. */
export function compareJson(report: CompareReport): unknown {
  const orNull = (v: unknown) => (v === undefined ? null : v);
  return {
    a: report.a,
    b: report.b,
    params: report.params.map((p) => ({ path: p.path, a: orNull(p.a), b: orNull(p.b) })),
    metrics: report.metrics.map((m) => ({ path: m.path, a: orNull(m.a), b: orNull(m.b), change: m.change })),
    notes: report.notes,
  };
}
