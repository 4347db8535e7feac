import { test } from 'node:test';
import assert from 'node:assert/strict';
import { inlineSvg, renderSvg, roundGeometry } from './render-svg.ts';
import { barsWithErrorsSpec } from './cluster-bars.ts';
import { geodesicScatterSpec } from './geodesic-scatter.ts';
import { heatmapBounds, heatmapOrder, heatmapPanel, similarityHeatmapsSpec } from './similarity-heatmap.ts';
import { clusteringScoresSpec } from './clustering-scores.ts';
import { thinRecords, trainingCurvesSpec } from './training-curves.ts';
import type { GeodesicAnalysis } from '../geodesic-analysis.ts';

/** Drawn items (child elements of each mark group) by mark type. */
function marks(svg: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const m of svg.matchAll(/<g class="mark-(\w+) role-mark[^"]*"[^>]*>(.*?)<\/g>/g)) {
    out[m[1]] = (out[m[1]] ?? 0) + (m[2].match(/<(path|line|rect|circle|text)\b/g) ?? []).length;
  }
  return out;
}

/** Lengths of the vertical rules (error bars), in drawing order. */
function ruleLengths(svg: string): number[] {
  const group = /<g class="mark-rule role-mark[^"]*"[^>]*>(.*?)<\/g>/.exec(svg)![1];
  return [...group.matchAll(/y2="(-?[\d.e-]+)"/g)].map((m) => Math.abs(Number(m[1])));
}

test('bar chart: one bar and one error bar per value, error bars span mean ± sd', async () => {
  const svg = await renderSvg(barsWithErrorsSpec('clustering', [
    { group: 'K-means', series: 'accuracy', mean: 0.8, sd: 0.1 },
    { group: 'K-means', series: 'ARI', mean: 0.5, sd: 0.05 },
    { group: 'PCA + K-means', series: 'accuracy', mean: 0.6, sd: 0 },
  ], 'score'));
  assert.match(svg, /^<svg /);
  assert.deepEqual(marks(svg), { rect: 3, rule: 3 });
  // Error bars span 2 sd: 0.2, 0.1 and 0 on the same axis.
  const [a, b, c] = ruleLengths(svg);
  assert.ok(a > 0 && Math.abs(a / b - 2) < 1e-3 && c === 0, `${a} ${b} ${c}`);
  assert.ok(svg.includes('>clustering<'), 'title drawn');
});

test('scatter: one point per pair, a rule per non-empty bin, the correlations in the subtitle', async () => {
  const a: GeodesicAnalysis = {
    measure: 'relative similarity', source: 'relative', pairs: 4, pearson: -0.5, spearman: -0.25,
    bins: [
      { lo: 0, hi: 1, center: 0.5, count: 2, mean: 0.9, sd: 0.1 },
      { lo: 1, hi: 2, center: 1.5, count: 0, mean: NaN, sd: NaN },
      { lo: 2, hi: 3, center: 2.5, count: 2, mean: 0.2, sd: 0 },
    ],
    scatter: [{ geodesic: 0.2, value: 1 }, { geodesic: 0.8, value: 0.8 }, { geodesic: 2.1, value: 0.2 }, { geodesic: 3, value: 0.2 }],
  };
  const svg = await renderSvg(geodesicScatterSpec('torus', [a, { ...a, measure: 'kernel distance', source: 'kernelized' }]));
  const m = marks(svg);
  assert.equal(m.rect, 2 * 4, 'a square per pair in each panel');
  assert.equal(m.symbol, 2 * 2, 'a dot per non-empty bin mean');
  assert.equal(m.rule, 2 * 2);
  assert.equal(m.line, 2);
  assert.ok(svg.includes('Pearson -0.500, Spearman -0.250, 4 pairs'));
});

test('heatmap: ordered by class then coordinate, blocks inside classes, diagonal left out of the means', async () => {
  // 4 points: classes [1, 0, 1, 0], coordinates [3, 2, 1, 0] -> order 3, 1, 2, 0.
  const input = { kind: 'relative', n: 4, values: Float64Array.from({ length: 16 }, (_, k) => k), classes: [1, 0, 1, 0], within: [3, 2, 1, 0] };
  assert.deepEqual(heatmapOrder(input), [3, 1, 2, 0]);
  assert.deepEqual(heatmapOrder({ n: 3, classes: [2, 1, 2] }), [1, 0, 2]);
  const p = heatmapPanel(input, 2);
  assert.deepEqual(p.classEdges, [2]);
  assert.equal(p.cells.length, 4);
  // Block (0, 0) = rows {3, 1} x cols {3, 1} without (3, 3) and (1, 1): values 13 and 7 -> 10.
  assert.deepEqual(p.cells.find((c) => c.y === 0 && c.x === 0), { x: 0, x2: 2, y: 0, y2: 2, value: 10 });
  // Block (0, 1) = rows {3, 1} x cols {2, 0}: 14, 12, 6, 4 -> 9.
  assert.equal(p.cells.find((c) => c.y === 0 && c.x === 2)!.value, 9);
  // Same class: (0, 2), (2, 0), (1, 3), (3, 1) = 2, 8, 7, 13; other class: the remaining 8 off-diagonal values, sum 120 - 30 - 30 = 60.
  assert.equal(p.sameClass, 30 / 4);
  assert.equal(p.otherClass, 60 / 8);
  // One block per example: the diagonal cells have nothing to average and are not drawn.
  assert.equal(heatmapPanel(input, 4).cells.length, 12);
  const svg = await renderSvg(similarityHeatmapsSpec('heat', '4 points', [p, { ...p, kind: 'ntk' }]));
  const m = marks(svg);
  assert.equal(m.rect, 2 * 4, 'a rect per cell in each panel');
  assert.equal(m.rule, 2 * 2, 'a vertical and a horizontal class edge in each panel');
  assert.ok(svg.includes('>relative<') && svg.includes('>ntk<'), 'a panel title per matrix');
  assert.ok(svg.includes('mean same class 7.50, other class 7.50'));
});

test('heatmap blocks: shared out by class size, never across a class edge, at most one per example', () => {
  assert.deepEqual(heatmapBounds([500, 500], 40), { bounds: [0, ...Array.from({ length: 40 }, (_, b) => 25 * (b + 1))], classEdges: [500] });
  // 90 + 10 over 10 cells: 9 blocks of 10, then 1 block of 10.
  assert.deepEqual(heatmapBounds([90, 10], 10).bounds, [0, 10, 20, 30, 40, 50, 60, 70, 80, 90, 100]);
  // A class of 2 gets at least one block; 3 points over 40 cells: one block each.
  assert.deepEqual(heatmapBounds([98, 2], 10), { bounds: [0, 10, 20, 29, 39, 49, 59, 69, 78, 88, 98, 100], classEdges: [98] });
  assert.deepEqual(heatmapBounds([3], 40), { bounds: [0, 1, 2, 3], classEdges: [] });
});

test('clustering scores: a panel per score, a dot and an error bar per method, a tick per seed, chance lines where given', async () => {
  const s = (values: number[], sd: number) => ({ mean: values.reduce((a, b) => a + b, 0) / values.length, sd, values });
  const methods = [
    { method: 'K-means on pixels', accuracy: s([0.54, 0.56], 0.02), ARI: s([0.01, 0.02], 0.005), NMI: s([0.01, 0.01], 0) },
    { method: 'NTK + kernel K-means', accuracy: s([0.6, 0.6], 0), ARI: s([0.03, 0.05], 0.01), NMI: s([0.02, 0.03], 0.005) },
  ];
  const svg = await renderSvg(clusteringScoresSpec('scores', methods, { accuracy: 0.513, ARI: 0 }));
  const m = marks(svg);
  assert.equal(m.symbol, 3 * 2, 'a dot per method in each of the three panels');
  assert.equal(m.rule, 3 * 2 + 2, 'an error bar per method and panel, and two chance lines');
  assert.ok(svg.includes('>chance 0.513<') && svg.includes('>chance 0.000<'));
  // Ticks: each seed value, per panel (marks counts drawn ticks as rects).
  assert.equal((svg.match(/<g class="mark-rect role-mark[^"]*"[^>]*>(.*?)<\/g>/g) ?? []).join('').match(/<path/g)?.length, 3 * 4);
  // Own scale per panel: the accuracy axis carries accuracy-sized labels, the ARI axis small ones.
  assert.ok(svg.includes('>0.56<') || svg.includes('>0.55<'), 'accuracy axis around 0.5-0.6');
  assert.ok(svg.includes('>0.04<') || svg.includes('>0.040<'), 'ARI axis around 0.01-0.05');
});

test('training curves: loss and accuracy lines; long runs are thinned to at most 400 points keeping both ends', async () => {
  const records = Array.from({ length: 1001 }, (_, i) => ({ epoch: i + 1, loss: 1 / (i + 1), trainAccuracy: 0.5 + i / 2002, testAccuracy: -1, seconds: 0.01 }));
  const thin = thinRecords(records);
  assert.equal(thin.length, 400);
  assert.equal(thin[0].epoch, 1);
  assert.equal(thin[399].epoch, 1001);
  const svg = await renderSvg(trainingCurvesSpec('curves', records));
  assert.deepEqual(marks(svg), { line: 2 }, 'no held-out line when test accuracy is -1');
});

test('geometry is rounded to 1/100 px, text is left alone', () => {
  const svg = '<path transform="translate(134.63968113692397,-2.0049)" d="M1.5,0A22.500000000000014,1e-17"/><text x="3.14159">0.97712</text>';
  assert.equal(roundGeometry(svg), '<path transform="translate(134.64,-2)" d="M1.5,0A22.5,1e-17"/><text x="3.14">0.97712</text>');
});

test('inline SVG drops the namespace URLs', async () => {
  const svg = await renderSvg(barsWithErrorsSpec('x', [{ group: 'a', series: 's', mean: 1, sd: 0 }], 'y'));
  assert.match(svg, /xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
  const inline = inlineSvg(svg);
  assert.doesNotMatch(inline, /https?:/);
  assert.match(inline, /^<svg version="1\.1" class="marks"/);
});
