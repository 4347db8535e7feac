import { existsSync } from 'node:fs';
import { join, relative } from 'node:path';
import { ElasticityError, runStage, writeFileAtomic } from '@elasticity/core';
import { escapeHtml, htmlFigure, renderHtmlDocument } from './html.ts';
import type { HtmlSection } from './html.ts';
import { formatMatrixMarkdown, matrixTableCaption } from './matrix-table-format.ts';
import { matrixBarsSvg, matrixTableHtml } from './matrix-page.ts';
import { readMatrixResults } from './matrix-results.ts';
import type { MatrixTable } from './matrix-table.ts';
import { plural } from './plural.ts';

export interface SuiteReportOptions {
  title: string;
  /** Matrix reports in the order to show them: a name and the folder runMatrixReport wrote (holding results.json). */
  reports: { name: string; dir: string }[];
  outDir: string;
}

/** One matrix report in the suite: where it came from and its table. */
export interface SuiteEntry {
  name: string;
  title: string;
  pipeline: string;
  axes: string[];
  filter: Record<string, string>;
  runs: number;
  table: MatrixTable;
}

export interface SuiteResults {
  title: string;
  reports: SuiteEntry[];
}

const filterText = (filter: Record<string, string>) => Object.entries(filter).map(([a, l]) => `${a}=${l}`).join(', ');
const about = (e: SuiteEntry) => `Matrix pipeline ${e.pipeline}: ${plural(e.runs, 'run')} over ${e.axes.join(', ')}`
  + `${Object.keys(e.filter).length > 0 ? `; filter ${filterText(e.filter)}` : ''}.`;

/**
 * One report over several matrix reports (`npm run reproduce`: Table 1,
 * architectures, autoencoder, CIFAR-10): each one's table, caption and bar
 * figure in turn, in results.json, report.md and a self-contained report.html.
 */
export async function runSuiteReport(options: SuiteReportOptions): Promise<SuiteResults> {
  if (options.reports.length === 0) throw new ElasticityError('no matrix report to collect', { file: options.outDir, field: 'reports' });
  const seen = new Set<string>();
  options.reports.forEach((r, i) => {
    // Names become figure file names and HTML ids.
    if (!/^[A-Za-z0-9][A-Za-z0-9_-]*$/.test(r.name)) throw new ElasticityError(`"${r.name}": names are letters, digits, "_" or "-"`, { file: r.dir, field: `reports[${i}].name` });
    if (seen.has(r.name)) throw new ElasticityError(`two reports are named "${r.name}"`, { file: r.dir, field: `reports[${i}].name` });
    seen.add(r.name);
  });
  const files = options.reports.map((r) => join(r.dir, 'results.json'));
  for (const [i, file] of files.entries()) {
    if (!existsSync(file)) throw new ElasticityError(`matrix report ${options.reports[i].name} has not been written yet (report that matrix first)`, { file });
  }
  return runStage({ stage: 'suite-report', outDir: options.outDir, params: { title: options.title, reports: options.reports.map((r) => r.name) }, seed: null, inputFiles: files }, async ({ dir, log }) => {
    const reports: SuiteEntry[] = [];
    for (const [i, r] of options.reports.entries()) {
      const m = await readMatrixResults(files[i]);
      reports.push({ name: r.name, title: m.title, pipeline: m.pipeline, axes: m.axes, filter: m.filter ?? {}, runs: m.combos.length, table: m.table });
    }
    const suite: SuiteResults = { title: options.title, reports };

    const sections: HtmlSection[] = [];
    const md = [`# ${options.title}`, ''];
    for (const [i, e] of reports.entries()) {
      const link = relative(options.outDir, join(options.reports[i].dir, 'report.html')).split('\\').join('/');
      md.push(`## ${e.title}`, '', about(e), '');
      let html = `<p class="note">${escapeHtml(about(e))} Full report: <code>${escapeHtml(link)}</code>.</p>\n`;
      if (e.table.rows.length > 0) {
        md.push(matrixTableCaption(e.table), '', formatMatrixMarkdown(e.table), '');
        html += matrixTableHtml(`table-${e.name}`, e.table);
        const svg = await matrixBarsSvg(e.title, e.table);
        if (svg) {
          await writeFileAtomic(join(dir, 'figures', `${e.name}.svg`), svg);
          md.push(`![${e.title}](figures/${e.name}.svg)`, '');
          html += `\n${htmlFigure(e.name, matrixTableCaption(e.table), svg)}`;
        }
      } else {
        md.push('(no run of this matrix clusters)', '');
      }
      md.push(`Full report: [${link}](${link}).`, '');
      sections.push({ heading: e.title, html });
    }
    await writeFileAtomic(join(dir, 'results.json'), JSON.stringify(suite, null, 2) + '\n');
    await writeFileAtomic(join(dir, 'report.md'), md.join('\n'));
    await writeFileAtomic(join(dir, 'report.html'), renderHtmlDocument(options.title, `${plural(reports.length, 'matrix report')}: ${reports.map((e) => e.name).join(', ')}.`, sections, suite));
    log.info(`${plural(reports.length, 'matrix report')}, ${plural(reports.reduce((s, e) => s + e.table.rows.length, 0), 'table row')}`);
    return suite;
  });
}
