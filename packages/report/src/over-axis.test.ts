import { test } from 'node:test';
import assert from 'node:assert/strict';
import { numericAxis, overAxisData } from './over-axis.ts';
import { overAxisSpec } from './figures/over-axis-lines.ts';
import { renderSvg } from './figures/render-svg.ts';
import type { MatrixCombo } from './matrix-table.ts';

const summary = (mean: number, sd = 0) => ({ mean, sd, values: [mean] });

/** A run of model `model` probed after epoch `epoch`: relative + K-means accuracy `acc`, elasticity ratio `ratio` of the relative matrix. */
function combo(model: string, epoch: string, acc: number, ratio: number | null): MatrixCombo {
  return {
    id: `${model}.${epoch}`,
    labels: { model, epoch },
    results: {
      pipeline: 'p', title: 'p', dataset: { name: 'd', examples: 4, primary: 4 },
      results: [{ input: 'relative', method: 'kmeans', accuracy: summary(acc, 0.01), ari: summary(0), nmi: summary(0) }],
      elasticity: [{ source: 'relative', within: 2, between: 1, ratio }],
    },
  };
}

const combos = [combo('relu', '20', 0.9, 1.5), combo('relu', '0', 0.5, 1.0), combo('relu', '5', 0.7, 1.2), combo('linear', '0', 0.5, null), combo('linear', '5', 0.5, 1.0), combo('linear', '20', 0.5, 1.0)];

test('the numeric axis is the first whose labels are all integers, with at least three values', () => {
  assert.equal(numericAxis(['model', 'epoch'], combos), 'epoch');
  assert.equal(numericAxis(['model', 'epoch'], combos.filter((c) => c.labels.epoch !== '5')), undefined, 'two values: no line to draw');
  const named = combos.map((c) => ({ ...c, labels: { ...c.labels, epoch: c.labels.epoch === '5' ? 'five' : c.labels.epoch } }));
  assert.equal(numericAxis(['model', 'epoch'], named), undefined);
});

test('overAxisData: one point per run and method or similarity, the panel named by the other axes, sorted by panel, series and axis value; no point for a missing ratio', () => {
  const data = overAxisData('epoch', ['model', 'epoch'], combos);
  assert.deepEqual(data.accuracy.map((p) => [p.panel, p.x, p.value]), [
    ['model=linear', 0, 0.5], ['model=linear', 5, 0.5], ['model=linear', 20, 0.5],
    ['model=relu', 0, 0.5], ['model=relu', 5, 0.7], ['model=relu', 20, 0.9],
  ]);
  assert.ok(data.accuracy.every((p) => p.series === 'relative · K-means' && p.sd === 0.01));
  assert.deepEqual(data.ratio.map((p) => [p.panel, p.x, p.value]), [
    ['model=linear', 5, 1], ['model=linear', 20, 1], ['model=relu', 0, 1], ['model=relu', 5, 1.2], ['model=relu', 20, 1.5],
  ]);
});

test('the figure draws both rows of panels, one panel per model', async () => {
  const svg = await renderSvg(overAxisSpec('against epoch', overAxisData('epoch', ['model', 'epoch'], combos)));
  assert.match(svg, /^<svg /);
  for (const text of ['model=relu', 'model=linear', 'clustering accuracy', 'elasticity ratio', 'epoch']) assert.ok(svg.includes(text), text);
});
