import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { CompareReport } from './compare-runs.ts';
import { ABSENT, alignColumns, compareJson, formatChange, formatCompareTable, formatValue } from './format-compare.ts';

const report: CompareReport = {
  a: { ref: 'default', file: 'data/default/report/results.json', kind: 'pipeline', pipeline: 'default', paramsFrom: 'results.json' },
  b: { ref: 'HEAD:r.json', file: 'HEAD:r.json', kind: 'pipeline', pipeline: 'default', paramsFrom: 'results.json' },
  paramsCompared: true,
  params: [{ path: 'train.lr', a: 0.003, b: 0.001 }, { path: 'probe.kinds', a: ['relative'], b: undefined }],
  metrics: [{ path: 'accuracy/raw/kmeans', a: 0.5, b: 0.625, change: 0.125 }, { path: 'training.finalLoss', a: null, b: 0.25, change: null }],
  notes: [],
};

test('formatValue and formatChange: 6 significant digits, signed change, "–" for an absent side', () => {
  assert.equal(formatValue(undefined), ABSENT);
  assert.equal(formatValue(0.004787826926714258), '0.00478783');
  assert.equal(formatValue(20), '20');
  assert.equal(formatValue(['a', 'b']), '["a","b"]');
  assert.equal(formatValue('x'.repeat(100)).length, 60);
  assert.equal(formatChange(0.54, 0.559), '+0.019');
  assert.equal(formatChange(0.559, 0.54), '-0.019');
  assert.equal(formatChange(1, undefined), '');
});

test('alignColumns pads every column to its widest cell', () => {
  assert.deepEqual(alignColumns([['a', 'bb', 'c'], ['ccc', 'd', '']]), ['a    bb  c', 'ccc  d']);
});

test('formatCompareTable: runs, then aligned params and metrics tables with name, A, B, change', () => {
  const lines = formatCompareTable(report).split('\n');
  assert.equal(lines[0], 'A: default (data/default/report/results.json)');
  assert.equal(lines[1], 'B: HEAD:r.json');
  const params = lines.slice(3, 6);
  assert.deepEqual(params.map((l) => l.split(/\s{2,}/)), [['param', 'A', 'B', 'change'], ['train.lr', '0.003', '0.001', '-0.002'], ['probe.kinds', '["relative"]', ABSENT]]);
  // Aligned: each column starts at the same offset on every row.
  assert.equal(params[0].indexOf(' A '), params[1].indexOf(' 0.003') );
  const metrics = lines.slice(7, 10);
  assert.deepEqual(metrics.map((l) => l.split(/\s{2,}/)), [['metric', 'A', 'B', 'change'], ['accuracy/raw/kmeans', '0.5', '0.625', '+0.125'], ['training.finalLoss', 'null', '0.25']]);
  assert.equal(metrics[0].indexOf('change'), metrics[1].indexOf('+0.125'));
});

test('formatCompareTable: empty lists say so; params not compared says so', () => {
  const text = formatCompareTable({ ...report, params: [], metrics: [], paramsCompared: false, notes: ['n'] });
  assert.match(text, /^params: not compared/m);
  assert.match(text, /^metrics: no differences$/m);
  assert.match(text, /^note: n$/m);
  assert.match(formatCompareTable({ ...report, params: [] }), /^params: no differences$/m);
});

test('compareJson: absent sides become null', () => {
  const json = compareJson(report) as { params: unknown[]; metrics: unknown[] };
  assert.deepEqual(json.params[1], { path: 'probe.kinds', a: ['relative'], b: null });
  assert.deepEqual(json.metrics[1], { path: 'training.finalLoss', a: null, b: 0.25, change: null });
});
