import { escapeHtml, htmlDetails, htmlFacts, htmlFigure, htmlTable, renderHtmlDocument } from './html.ts';
import type { HtmlSection } from './html.ts';
import { formatResultsMarkdown } from './table.ts';
import { methodLabel } from './labels.ts';
import { formatInputs } from './run-metadata.ts';
import { plural } from './plural.ts';
import { provenanceFacts, provenanceMarkdown } from './provenance-facts.ts';
import { chanceLine } from './summary.ts';
import { neighboursLine } from './neighbours-html.ts';
import type { PipelineResults } from './pipeline-results.ts';

const num = (v: number, digits = 4) => (Number.isFinite(v) ? v.toFixed(digits) : 'n/a');

/** Rows of the geodesic table: measure, source, pairs, Pearson, Spearman. */
export function geodesicRows(r: PipelineResults): string[][] {
  return (r.geodesic ?? []).map((g) => [g.measure, g.source, String(g.pairs), num(g.pearson), num(g.spearman)]);
}
export const GEODESIC_HEADER = ['measure', 'from', 'pairs', 'Pearson r', 'Spearman ρ'];

/** Binned means of every measure side by side (all are binned on the same geodesic distances, so the bins agree). */
function binTable(r: PipelineResults): { header: string[]; rows: string[][] } {
  const g = r.geodesic ?? [];
  const header = ['geodesic distance', 'pairs', ...g.map((a) => `${a.measure} (${a.source}): mean ± sd`)];
  const rows = (g[0]?.bins ?? []).flatMap((b, k) => (b.count === 0 ? [] : [[
    `${num(b.lo, 3)}–${num(b.hi, 3)}`, String(b.count), ...g.map((a) => `${num(a.bins[k].mean)} ± ${num(a.bins[k].sd)}`),
  ]]));
  return { header, rows };
}

/**
 * One line on the model and its training, with the wall-clock training time
 * when given (the cross-pipeline report reads it from the timings file; a
 * pipeline's own report never shows it, so it is the same bytes for the same
 * seed and backend).
 */
export function modelLine(r: PipelineResults, trainingSeconds?: number): string | undefined {
  const t = r.training;
  if (!t) return undefined;
  return `${t.model} (width ${t.width}, ${t.loss} loss, ${plural(t.epochs, 'epoch')}${t.lr !== undefined ? `, lr ${t.lr}` : ''}${t.batch !== undefined ? `, batch ${t.batch}` : ''}`
    + `${t.seed !== undefined ? `, seed ${t.seed}` : ''}, backend ${t.backend}${t.kernel === 'onnx' ? ', onnx kernel' : ''}); final loss ${num(t.finalLoss)}, train accuracy ${num(t.trainAccuracy)}`
    + `${t.testAccuracy >= 0 ? `, held-out accuracy ${num(t.testAccuracy)}` : ''}${trainingSeconds !== undefined ? `; ${trainingSeconds.toFixed(1)} s training` : ''}.`;
}

/** The data set, its size and how many examples are primary. */
const dataLine = (r: PipelineResults) => `${r.dataset.name} — ${plural(r.dataset.examples, 'example')}, ${r.dataset.primary} primary.`;

/** Provenance rows: file, stage, seed, key contract values, input hashes. */
export function provenanceRows(r: PipelineResults): string[][] {
  return (r.metadata?.files ?? []).map((f) => [
    f.file, f.stage, f.seed === null ? '–' : String(f.seed), Object.entries(f.extra).map(([k, v]) => `${k}=${v}`).join(', '), formatInputs(f.inputs),
  ]);
}
export const PROVENANCE_HEADER = ['file', 'stage', 'seed', 'contract', 'inputs (SHA-256 prefix)'];

export function pipelineMarkdown(r: PipelineResults): string {
  const lines = [`# ${r.title}`, '', `Data: ${dataLine(r)}`, ''];
  const model = modelLine(r);
  if (model) lines.push(`Model: ${model}`, '');
  if (r.geodesic && r.geodesic.length > 0) {
    lines.push('Similarity against geodesic distance over every pair of class-1 points:', '');
    lines.push(`| ${GEODESIC_HEADER.join(' | ')} |`, `|${GEODESIC_HEADER.map(() => '---').join('|')}|`);
    for (const row of geodesicRows(r)) lines.push(`| ${row.join(' | ')} |`);
    lines.push('');
  }
  if (r.results.length > 0) {
    lines.push(`Clustering of the primary examples (mean ± sd over ${plural(r.clustering?.seeds ?? 1, 'seed')}):`, '', formatResultsMarkdown(r.results), '');
    const chance = chanceLine(r);
    if (chance) lines.push(chance, '');
  }
  if (r.neighbours && r.neighbours.length > 0) {
    lines.push('Elastic neighbours (report.html shows some examples and their neighbours):', '', ...r.neighbours.map((s) => `- ${neighboursLine(s)}`), '');
  }
  if (r.figures && r.figures.length > 0) {
    lines.push('Figures:', '', ...r.figures.map((f) => `- [${f.caption}](${f.file})`), '');
  }
  const facts = provenanceMarkdown(r);
  if (facts.length > 0) lines.push('Provenance:', '', ...facts, '');
  lines.push('Full report with figures and per-file provenance: report.html.', '');
  return lines.join('\n');
}

/** The page; `neighboursHtml` is the "Elastic neighbours" section's body (it draws examples from the data set, which results.json does not hold). */
export function pipelineHtml(r: PipelineResults, svgs: string[], neighboursHtml?: string): string {
  const sections: HtmlSection[] = [];
  const model = modelLine(r);
  sections.push({
    heading: 'Run',
    html: `<p>Data: ${escapeHtml(dataLine(r))}</p>${model ? `<p>Model: ${escapeHtml(model)}</p>` : ''}`,
  });
  if (r.geodesic && r.geodesic.length > 0) {
    sections.push({
      heading: 'Similarity against geodesic distance',
      html: htmlTable('geodesic-table', 'Correlation with geodesic distance over every pair of class-1 points', GEODESIC_HEADER, geodesicRows(r))
        + htmlTable('geodesic-bins', 'Binned by geodesic distance: mean ± sd of each measure per bin', binTable(r).header, binTable(r).rows),
    });
  }
  if (r.results.length > 0) {
    const chance = chanceLine(r);
    const rows = r.results.map((c) => [methodLabel(c.input, c.method), ...[c.accuracy, c.ari, c.nmi].map((s) => `${num(s.mean)} ± ${num(s.sd)}`)]);
    sections.push({
      heading: 'Clustering',
      html: htmlTable('results-table', `Clustering of the primary examples (mean ± sd over ${plural(r.clustering?.seeds ?? 1, 'seed')})`, ['method', 'accuracy', 'ARI', 'NMI'], rows)
        + (chance ? `\n<p class="note">${escapeHtml(chance)}</p>` : ''),
    });
  }
  if (r.figures && r.figures.length > 0) {
    sections.push({ heading: 'Figures', html: r.figures.map((f, i) => htmlFigure(`${r.pipeline}-${f.id}`, f.caption, svgs[i])).join('\n') });
  }
  if (neighboursHtml) sections.push({ heading: 'Elastic neighbours', html: neighboursHtml });
  const files = r.metadata?.files ?? [];
  const inputs = Object.entries(r.metadata?.reportInputs ?? {});
  sections.push({
    heading: 'Provenance',
    html: htmlFacts('provenance-facts', 'The run at a glance', provenanceFacts(r))
      + htmlDetails(`${plural(files.length, 'upstream file')}: stage, seed, contract and input hashes`,
        htmlTable('provenance-table', 'Upstream files read by this report, from their Arrow metadata', PROVENANCE_HEADER, provenanceRows(r)))
      + htmlDetails(`SHA-256 of the ${plural(inputs.length, 'file')} this report read`, htmlTable('input-hashes', 'SHA-256 of the files this report read', ['file', 'SHA-256'], inputs)),
  });
  return renderHtmlDocument(r.title, `Pipeline ${r.pipeline}: report of the local-elasticity toolkit.`, sections, r);
}
