import type { Dataset } from '@elasticity/core';
import { escapeHtml } from './html.ts';
import { encodePng, pngDataUri } from './figures/png.ts';
import type { GalleryEntry, NeighboursSummary } from './neighbours-gallery.ts';

/** How an example is drawn: an image (MNIST, Fashion-MNIST, CIFAR-10), a point of a 2-d or 3-d manifold, or not at all. */
type Drawing =
  | { as: 'image'; channels: 1 | 3; height: number; width: number }
  | { as: 'point' }
  | { as: 'text' };

/** Images are [height, width] or [channels, height, width] with 1 or 3 channels (channel-major); 2-d and 3-d inputs are points. */
export function drawingOf(dataset: Dataset): Drawing {
  const s = dataset.inputShape;
  const [channels, height, width] = s.length === 3 ? s : s.length === 2 ? [1, ...s] : [0, 0, 0];
  if ((channels === 1 || channels === 3) && height >= 8 && width >= 8 && channels * height * width === dataset.d) return { as: 'image', channels, height, width };
  if (dataset.d === 2 || dataset.d === 3) return { as: 'point' };
  return { as: 'text' };
}

/** Row of each example id in the data set. */
function rowsById(dataset: Dataset): Map<number, number> {
  const rows = new Map<number, number>();
  dataset.ids.forEach((id, i) => rows.set(id, i));
  return rows;
}

/** An <img> of one example: its pixels scaled from the data set's range to 0..255, dark strokes on white. */
function imageOf(dataset: Dataset, row: number, shape: { channels: 1 | 3; height: number; width: number }, range: [number, number]): string {
  const { channels, height, width } = shape;
  const plane = height * width;
  const x = dataset.x.subarray(row * dataset.d, (row + 1) * dataset.d);
  const pixels = new Uint8Array(plane * channels);
  const span = range[1] - range[0] || 1;
  for (let p = 0; p < plane; p++) {
    for (let c = 0; c < channels; c++) {
      const v = Math.round(255 * (x[c * plane + p] - range[0]) / span);
      pixels[p * channels + c] = channels === 1 ? 255 - v : v;
    }
  }
  return `<img src="${pngDataUri(encodePng(pixels, width, height, channels))}" width="${width * 2}" height="${height * 2}" alt="example ${dataset.ids[row]}">`;
}

/** A small scatter of every primary point (first two coordinates): the example black, its most moved red, its least moved blue. */
function scatterOf(dataset: Dataset, id: number, top: GalleryEntry[], bottom: GalleryEntry[], rows: Map<number, number>, primary: number[]): string {
  const size = 150, pad = 6;
  const xs = primary.map((r) => dataset.x[r * dataset.d]), ys = primary.map((r) => dataset.x[r * dataset.d + 1]);
  const [x0, x1, y0, y1] = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)];
  const px = (r: number) => (pad + (size - 2 * pad) * (dataset.x[r * dataset.d] - x0) / (x1 - x0 || 1)).toFixed(1);
  const py = (r: number) => (size - pad - (size - 2 * pad) * (dataset.x[r * dataset.d + 1] - y0) / (y1 - y0 || 1)).toFixed(1);
  const dot = (r: number, radius: number, fill: string) => `<circle cx="${px(r)}" cy="${py(r)}" r="${radius}" fill="${fill}"/>`;
  return `<svg class="neighbour-points" width="${size}" height="${size}" viewBox="0 0 ${size} ${size}" role="img" aria-label="example ${id} and its neighbours on the manifold">`
    + primary.map((r) => dot(r, 1.5, '#ccc')).join('')
    + bottom.map((e) => dot(rows.get(e.id)!, 3, '#1f5fbf')).join('')
    + top.map((e) => dot(rows.get(e.id)!, 3, '#d62728')).join('')
    + dot(rows.get(id)!, 4, '#000') + '</svg>';
}

const value = (v: number) => (v === 0 ? '0' : Math.abs(v) >= 1e-3 && Math.abs(v) < 1e4 ? v.toPrecision(4) : v.toExponential(2));
const percent = (f: number) => `${(100 * f).toFixed(1)}%`;

/** One cell of the gallery: the drawing (if any) over its caption. */
function cell(drawing: string, caption: string, kind: 'self' | 'top' | 'bottom'): string {
  return `<figure class="neighbour ${kind}">${drawing}<figcaption>${escapeHtml(caption)}</figcaption></figure>`;
}

/** The one-line summary of a neighbours file, for report.md and the page. */
export function neighboursLine(s: NeighboursSummary): string {
  return `${s.kind} similarity, k = ${s.k}, ${s.probed} probed examples: ${percent(s.sameClassTop)} of the most moved neighbours share the example's class, ${percent(s.sameClassBottom)} of the least moved`;
}

/**
 * The "Elastic neighbours" section: for each neighbours file, its summary
 * line and, for the gallery's examples, the example and its k most and k
 * least moved neighbours drawn (images as inline PNG, manifold points as
 * inline SVG, else their ids only), with classes and values.
 */
export function neighboursSectionHtml(summaries: NeighboursSummary[], dataset: Dataset, primary: number[]): string {
  const drawing = drawingOf(dataset);
  const rows = rowsById(dataset);
  let range: [number, number] = [0, 1];
  if (drawing.as === 'image') {
    let lo = Infinity, hi = -Infinity;
    for (const v of dataset.x) { if (v < lo) lo = v; if (v > hi) hi = v; }
    range = [lo, hi];
  }
  const draw = (id: number) => (drawing.as === 'image' ? imageOf(dataset, rows.get(id)!, drawing, range) : '');
  const intro = '<p class="note">For each probed example, the examples whose predictions one SGD step at it moves the most (largest value of its unsymmetrised probe row) and the least (smallest value), itself left out. '
    + (drawing.as === 'image' ? 'Each image is an example; captions give its id, class and value.'
      : drawing.as === 'point' ? 'Each panel shows every primary point (first two coordinates, grey): the example black, its most moved neighbours red, its least moved blue.'
        : 'The examples are not images or points of a 2-d or 3-d manifold: only their ids, classes and values are listed.') + '</p>';
  const parts = summaries.map((s) => {
    const examples = s.examples.map((e) => {
      const self = cell(draw(e.id), `id ${e.id} · class ${e.class}`, 'self');
      const list = (entries: GalleryEntry[], kind: 'top' | 'bottom') => entries.map((n) => cell(draw(n.id), `id ${n.id} · class ${n.class} · ${value(n.value)}`, kind)).join('');
      const scatter = drawing.as === 'point' ? `<div class="neighbour-scatter">${scatterOf(dataset, e.id, e.top, e.bottom, rows, primary)}</div>` : '';
      return `<div class="neighbour-row" data-example="${e.id}">${self}${scatter}<div class="neighbour-list"><span class="neighbour-label">most moved</span>${list(e.top, 'top')}</div>`
        + `<div class="neighbour-list"><span class="neighbour-label">least moved</span>${list(e.bottom, 'bottom')}</div></div>`;
    }).join('\n');
    return `<div class="neighbours" id="neighbours-${escapeHtml(s.kind)}" data-kind="${escapeHtml(s.kind)}"><h3>${escapeHtml(`${s.kind} similarity`)}</h3>\n<p>${escapeHtml(neighboursLine(s))}.</p>\n${examples}</div>`;
  });
  return intro + '\n' + parts.join('\n');
}
