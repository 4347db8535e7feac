import { inlineSvg } from './figures/render-svg.ts';

/** Escapes text for HTML element content and attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

/** A table with a header row; cells are text (escaped). */
export function htmlTable(id: string, caption: string, header: string[], rows: string[][]): string {
  const head = `<tr>${header.map((h) => `<th scope="col">${escapeHtml(h)}</th>`).join('')}</tr>`;
  const body = rows.map((r) => `<tr>${r.map((c, i) => (i === 0 ? `<th scope="row">${escapeHtml(c)}</th>` : `<td>${escapeHtml(c)}</td>`)).join('')}</tr>`).join('\n');
  return `<table id="${escapeHtml(id)}" class="sortable"><caption>${escapeHtml(caption)}</caption>\n<thead>${head}</thead>\n<tbody>\n${body}\n</tbody></table>`;
}

/** An SVG figure (rendered in Node) inlined with its caption. */
export function htmlFigure(id: string, caption: string, svg: string): string {
  return `<figure class="figure" id="figure-${escapeHtml(id)}" data-figure="${escapeHtml(id)}">${inlineSvg(svg)}<figcaption>${escapeHtml(caption)}</figcaption></figure>`;
}

/** A two-column table of facts: a label per row (row header) and its value; no header row, not sortable. */
export function htmlFacts(id: string, caption: string, rows: [string, string][]): string {
  const body = rows.map(([what, value]) => `<tr><th scope="row">${escapeHtml(what)}</th><td>${escapeHtml(value)}</td></tr>`).join('\n');
  return `<table id="${escapeHtml(id)}" class="facts"><caption>${escapeHtml(caption)}</caption>\n<tbody>\n${body}\n</tbody></table>`;
}

/** A folded block: the summary line shows, the content opens on click. */
export function htmlDetails(summary: string, html: string): string {
  return `<details><summary>${escapeHtml(summary)}</summary>\n${html}\n</details>`;
}

export interface HtmlSection {
  heading: string;
  /** Trusted HTML built with the helpers above. */
  html: string;
}

const STYLE = `
body { font-family: system-ui, sans-serif; margin: 2rem auto; max-width: 1200px; padding: 0 1rem; color: #222; }
h1 { font-size: 1.6rem; } h2 { font-size: 1.25rem; margin-top: 2.2rem; border-bottom: 1px solid #ddd; } h3 { font-size: 1.05rem; }
table { border-collapse: collapse; margin: 0.8rem 0 1.4rem; font-size: 0.9rem; }
caption { text-align: left; font-weight: 600; padding: 0.3rem 0; }
th, td { border: 1px solid #ccc; padding: 0.25rem 0.6rem; text-align: right; font-variant-numeric: tabular-nums; }
th[scope=row], thead th:first-child { text-align: left; }
thead th { background: #f3f3f3; cursor: pointer; }
.figure { margin: 1rem 0 2rem; overflow-x: auto; } figcaption { font-size: 0.85rem; color: #555; }
.note { color: #555; font-size: 0.9rem; } code { font-size: 0.85rem; word-break: break-all; }
details { margin: 0.6rem 0; } summary { cursor: pointer; color: #333; }
table.facts th[scope=row] { font-weight: 600; } table.facts td { text-align: left; }
.neighbour-row { display: flex; flex-wrap: wrap; align-items: flex-start; gap: 0.8rem; padding: 0.5rem 0; border-top: 1px solid #eee; }
.neighbour-list { display: flex; flex-wrap: wrap; align-items: flex-start; gap: 0.3rem; }
.neighbour-label { writing-mode: vertical-rl; transform: rotate(180deg); font-size: 0.75rem; color: #555; }
figure.neighbour { margin: 0; text-align: center; } figure.neighbour figcaption { font-size: 0.7rem; max-width: 7rem; }
figure.neighbour img { image-rendering: pixelated; border: 1px solid #ddd; } figure.neighbour.self img { border: 2px solid #000; }
figure.neighbour.top figcaption { color: #b01e1e; } figure.neighbour.bottom figcaption { color: #1f5fbf; }
`;

/** Click a header to sort a table by that column (numbers by value, text alphabetically). */
const SCRIPT = `
(function () {
  function key(cell) {
    var t = cell.textContent.trim();
    var v = parseFloat(t);
    return isNaN(v) ? t : v;
  }
  document.querySelectorAll('table.sortable').forEach(function (table) {
    table.querySelectorAll('thead th').forEach(function (th, col) {
      th.addEventListener('click', function () {
        var body = table.tBodies[0];
        var rows = Array.prototype.slice.call(body.rows);
        var dir = th.dataset.dir === 'asc' ? -1 : 1;
        th.dataset.dir = dir === 1 ? 'asc' : 'desc';
        rows.sort(function (a, b) {
          var x = key(a.cells[col]), y = key(b.cells[col]);
          return (x > y ? 1 : x < y ? -1 : 0) * dir;
        });
        rows.forEach(function (r) { body.appendChild(r); });
      });
    });
  });
  var data = JSON.parse(document.getElementById('report-data').textContent);
  document.documentElement.dataset.ready = 'true';
  document.documentElement.dataset.figures = String(document.querySelectorAll('figure.figure svg').length);
  document.documentElement.dataset.pipelines = String(data.pipelines ? data.pipelines.length : 1);
})();
`;

/** JSON safe inside a <script> element. */
function scriptJson(data: unknown): string {
  return JSON.stringify(data).replace(/</g, '\\u003c').replace(/>/g, '\\u003e').replace(/&/g, '\\u0026');
}

/**
 * One self-contained HTML page: styles, the data (as JSON) and the script
 * inline, figures as inline SVG; nothing is fetched, so it opens from disk.
 */
export function renderHtmlDocument(title: string, intro: string, sections: HtmlSection[], data: unknown): string {
  return [
    '<!DOCTYPE html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(title)}</title>`,
    `<style>${STYLE}</style>`,
    '</head>',
    '<body>',
    `<h1>${escapeHtml(title)}</h1>`,
    `<p class="note">${escapeHtml(intro)}</p>`,
    ...sections.map((s) => `<section>\n<h2>${escapeHtml(s.heading)}</h2>\n${s.html}\n</section>`),
    `<script type="application/json" id="report-data">${scriptJson(data)}</script>`,
    `<script>${SCRIPT}</script>`,
    '</body>',
    '</html>',
    '',
  ].join('\n');
}
