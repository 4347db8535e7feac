import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ElasticityError } from '@elasticity/core';
import { buildMatrixTable } from './matrix-table.ts';
import type { MatrixCombo } from './matrix-table.ts';
import { formatMatrixMarkdown, formatMatrixTable, matrixTableCaption } from './matrix-table-format.ts';
import { fakePipelineResults } from './test-fixtures.ts';

const close = (a: number | undefined, b: number, tol = 1e-12) => assert.ok(a !== undefined && Math.abs(a - b) <= tol, `${a} vs ${b}`);
/** Two clustering seeds around a mean: the run's mean accuracy is exactly m. */
const around = (m: number) => [m - 0.01, m + 0.01];

// Mean accuracies of relative (kernelized = relative - 0.1) per pair, model and seed.
const RELATIVE: Record<string, Record<string, number[]>> = {
  '5v8': { 'relu-mse': [0.90, 0.92, 0.97], 'relu-bce': [0.80, 0.80, 0.86] },
  '4v9': { 'relu-mse': [0.70, 0.75, 0.71], 'relu-bce': [0.60, 0.66, 0.63] },
};
const RAW = { '5v8': [0.60, 0.62, 0.64], '4v9': [0.55, 0.55, 0.58] };
const PCA = { '5v8': [0.61, 0.61, 0.61], '4v9': [0.5, 0.6, 0.7] };
const DATASET = { '5v8': 'mnist 5v8 | 9,3', '4v9': 'mnist 4v9 | 5,7' };

/** Combos in declared order (scale, pair, model, seed; the last varies fastest), scale filtered to "quick". */
function matrix(skip: string[] = []): MatrixCombo[] {
  const out: MatrixCombo[] = [];
  for (const pair of ['5v8', '4v9'] as const) {
    for (const model of ['relu-mse', 'relu-bce']) {
      for (const seed of [0, 1, 2]) {
        const id = `quick.${pair}.${model}.${seed}`;
        if (skip.includes(id)) continue;
        const rel = RELATIVE[pair][model][seed];
        // A baseline differs by model here only to see which run is kept: the first (relu-mse).
        const offset = model === 'relu-bce' ? -0.3 : 0;
        out.push({
          id, labels: { scale: 'quick', pair, model, seed: String(seed) },
          results: fakePipelineResults({
            pipeline: `table1.${id}`, dataset: DATASET[pair], results: [
              ['raw', 'kmeans', around(RAW[pair][seed] + offset)], ['pca', 'kmeans', around(PCA[pair][seed] + offset)],
              ['relative', 'kmeans', around(rel)], ['kernelized', 'kernel-kmeans', around(rel - 0.1)],
            ],
          }),
        });
      }
    }
  }
  return out;
}
const AXES = ['scale', 'pair', 'model', 'seed'];

test('cells: mean ± sample sd over the seed runs\' mean accuracies; baselines once; the single-label axis dropped', () => {
  const t = buildMatrixTable(matrix(), { axes: AXES });
  assert.deepEqual(t.rowAxes, ['pair'], 'default rows: the first axis with more than one label');
  assert.deepEqual(t.columnAxes, ['model']);
  assert.equal(t.over, 'seed');
  assert.equal(t.n, 3);
  assert.deepEqual(t.fixed, { scale: 'quick' });
  assert.deepEqual(t.columns.map((c) => c.label), [
    'K-means on pixels', 'PCA + K-means',
    'relative similarity + K-means (relu-mse)', 'kernelized similarity + kernel K-means (relu-mse)',
    'relative similarity + K-means (relu-bce)', 'kernelized similarity + kernel K-means (relu-bce)',
  ]);
  assert.deepEqual(t.columns.map((c) => c.labels), [{}, {}, { model: 'relu-mse' }, { model: 'relu-mse' }, { model: 'relu-bce' }, { model: 'relu-bce' }]);
  assert.deepEqual(t.rows.map((r) => [r.labels, r.dataset]), [[{ pair: '5v8' }, 'mnist 5v8 | 9,3'], [{ pair: '4v9' }, 'mnist 4v9 | 5,7']], 'order of first appearance');

  const [row58, row49] = t.rows;
  // relative, 5v8, relu-mse: 0.90, 0.92, 0.97 -> mean 0.93; deviations -0.03, -0.01, 0.04; sd = sqrt(0.0026 / 2).
  const rel = row58.cells[2]!;
  close(rel.mean, 0.93);
  close(rel.sd, Math.sqrt(0.0013));
  rel.values.forEach((v, i) => close(v, [0.90, 0.92, 0.97][i]));
  assert.equal(rel.n, 3);
  assert.deepEqual(rel.combos, ['quick.5v8.relu-mse.0', 'quick.5v8.relu-mse.1', 'quick.5v8.relu-mse.2']);
  // kernelized, 4v9, relu-bce: 0.50, 0.56, 0.53 -> mean 0.53; deviations -0.03, 0.03, 0; sd = sqrt(0.0018 / 2) = 0.03.
  close(row49.cells[5]!.mean, 0.53);
  close(row49.cells[5]!.sd, 0.03);
  // Baselines: the relu-mse runs' values (first combo per seed); 4v9 PCA 0.5, 0.6, 0.7 -> 0.6 ± 0.1.
  close(row58.cells[0]!.mean, 0.62);
  close(row58.cells[0]!.sd, 0.02);
  assert.deepEqual(row58.cells[0]!.combos, ['quick.5v8.relu-mse.0', 'quick.5v8.relu-mse.1', 'quick.5v8.relu-mse.2']);
  close(row49.cells[1]!.mean, 0.6);
  close(row49.cells[1]!.sd, 0.1);
  close(row58.cells[1]!.sd, 0, 1e-15);
  assert.match(matrixTableCaption(t), /over the 3 values of seed .*; fixed: scale=quick\.$/);
});

test('a missing seed run: the cell averages the runs there are and records n', () => {
  const t = buildMatrixTable(matrix(['quick.5v8.relu-mse.2']), { axes: AXES });
  const rel = t.rows[0].cells[2]!;
  assert.equal(rel.n, 2);
  close(rel.mean, 0.91);
  close(rel.sd, Math.sqrt(0.0002)); // 0.90, 0.92: (0.01² + 0.01²) / 1
  // The baseline of seed 2 now comes from the first run that has it: relu-bce (0.64 - 0.3).
  close(t.rows[0].cells[0]!.mean, (0.60 + 0.62 + 0.34) / 3);
  assert.equal(t.rows[0].cells[0]!.n, 3);
  const text = formatMatrixTable(t);
  assert.ok(text.includes('0.910 ± 0.014 (n=2)'), text);
  assert.ok(text.includes('0.820 ± 0.035'), 'relu-bce 5v8: 0.80, 0.80, 0.86 -> 0.82 ± sqrt(0.0024 / 2)');
});

test('one run per cell: the run\'s own mean ± sd over its clustering seeds; a filtered seed axis is dropped', () => {
  const combos = matrix().filter((c) => c.labels.seed === '1');
  const t = buildMatrixTable(combos, { axes: AXES });
  assert.equal(t.over, undefined);
  assert.equal(t.n, 1);
  assert.deepEqual(t.fixed, { scale: 'quick', seed: '1' });
  const rel = t.rows[0].cells[2]!;
  // around(0.92): 0.91, 0.93 -> sd sqrt(2 * 0.01² / 1).
  close(rel.mean, 0.92);
  close(rel.sd, Math.sqrt(0.0002));
  assert.deepEqual(rel.values.length, 2, 'the clustering seeds');
  assert.equal(rel.n, 1);
  assert.ok(formatMatrixTable(t).includes('0.920 ± 0.014'));
  assert.ok(!formatMatrixTable(t).includes('(n='));
  assert.match(matrixTableCaption(t), /mean ± sd over the clustering seeds; fixed: scale=quick, seed=1\.$/);
});

test('explicit row axes: one row per pair and model; model columns are the plain methods', () => {
  const t = buildMatrixTable(matrix(), { axes: AXES, rowAxes: ['pair', 'model'] });
  assert.deepEqual(t.columnAxes, []);
  assert.deepEqual(t.columns.map((c) => c.label), ['K-means on pixels', 'PCA + K-means', 'relative similarity + K-means', 'kernelized similarity + kernel K-means']);
  assert.deepEqual(t.rows.map((r) => r.labels), [
    { pair: '5v8', model: 'relu-mse' }, { pair: '5v8', model: 'relu-bce' }, { pair: '4v9', model: 'relu-mse' }, { pair: '4v9', model: 'relu-bce' },
  ]);
  // Baselines are per row now: relu-bce's own runs (raw 0.60 - 0.3, ...).
  close(t.rows[1].cells[0]!.mean, 0.32);
  close(t.rows[3].cells[3]!.mean, 0.53);
  const md = formatMatrixMarkdown(t);
  assert.equal(md.split('\n')[0], '| pair · model | data set | K-means on pixels | PCA + K-means | relative similarity + K-means | kernelized similarity + kernel K-means |');
  assert.ok(md.includes('| 5v8 · relu-bce | mnist 5v8 \\| 9,3 | 0.320 ± 0.020 |'), md);
});

test('seed as the row axis is not averaged over unless asked; runs without clustering add no row', () => {
  const combos = matrix().filter((c) => c.labels.pair === '5v8' && c.labels.model === 'relu-mse');
  const t = buildMatrixTable(combos, { axes: AXES, rowAxes: ['seed'] });
  assert.equal(t.over, undefined);
  assert.deepEqual(t.rows.map((r) => r.labels.seed), ['0', '1', '2']);
  const empty = { id: 'x', labels: { scale: 'quick', pair: '3v5', model: 'relu-mse', seed: '0' }, results: fakePipelineResults({ pipeline: 'x', dataset: 'torus', results: [] }) };
  assert.equal(buildMatrixTable([...matrix(), empty], { axes: AXES }).rows.length, 2);
});

test('the text table: method header under the model labels, columns aligned', () => {
  const t = buildMatrixTable(matrix(), { axes: AXES });
  const lines = formatMatrixTable(t).split('\n');
  assert.equal(lines.length, 2 + 1 + 2);
  assert.match(lines[0], /^\s+relu-mse\s+relu-mse\s+relu-bce\s+relu-bce$/);
  assert.match(lines[1], /^pair\s+K-means\s+PCA · K-means\s+relative · K-means\s+kernelized · kernel K-means\s+relative · K-means\s+kernelized · kernel K-means$/);
  assert.match(lines[3], /^5v8\s+0\.620 ± 0\.020\s+0\.610 ± 0\.000\s+0\.930 ± 0\.036\s+0\.830 ± 0\.036\s+0\.820 ± 0\.035\s+0\.720 ± 0\.035$/);
  assert.equal(lines[3].indexOf('0.930'), lines[1].indexOf('relative'));
  assert.equal(lines[4].indexOf('0.720'), lines[1].indexOf('relative'), '4v9 relu-mse: 0.70, 0.75, 0.71 -> 0.72');
  assert.equal(lines[0].indexOf('relu-mse'), lines[1].indexOf('relative'), 'the model label above its methods');
});

test('bad options and labels: one ElasticityError naming the field', () => {
  const fails = (fn: () => unknown, field: string) => assert.throws(fn, (e: unknown) => e instanceof ElasticityError && e.field === field);
  fails(() => buildMatrixTable(matrix(), { axes: AXES, overAxis: 'lr' }), 'overAxis');
  fails(() => buildMatrixTable(matrix(), { axes: AXES, rowAxes: ['pair', 'width'] }), 'rowAxes');
  fails(() => buildMatrixTable(matrix(), { axes: AXES, rowAxes: ['pair'], overAxis: 'pair' }), 'overAxis');
  fails(() => buildMatrixTable(matrix(), { axes: [...AXES, 'lr'] }), 'combos[0].labels.lr');
  const twice = matrix();
  twice.push({ ...twice[0], id: 'again' });
  assert.throws(() => buildMatrixTable(twice, { axes: AXES }), (e: unknown) => e instanceof ElasticityError && e.message.includes('quick.5v8.relu-mse.0 and again'));
});

test('expected combinations: rows and model columns of a suite half done, empty cells "–"', () => {
  const expected = ['5v8', '4v9', '3v5'].flatMap((pair) => ['relu-mse', 'relu-bce'].flatMap((model) => [0, 1, 2].map((seed) => ({ scale: 'quick', pair, model, seed: String(seed) }))));
  // Only relu-mse has run on 4v9; nothing on 3v5.
  const done = matrix().filter((c) => !(c.labels.pair === '4v9' && c.labels.model === 'relu-bce'));
  const t = buildMatrixTable(done, { axes: AXES, expected });
  assert.deepEqual(t.rows.map((r) => [r.labels.pair, r.dataset]), [['5v8', 'mnist 5v8 | 9,3'], ['4v9', 'mnist 4v9 | 5,7'], ['3v5', '–']]);
  assert.equal(t.columns.length, 6);
  assert.deepEqual(t.rows[1].cells.map((c) => c === undefined), [false, false, false, false, true, true], '4v9 relu-bce not run');
  assert.ok(t.rows[2].cells.every((c) => c === undefined));
  const lines = formatMatrixTable(t).split('\n');
  assert.match(lines[5], /^3v5(\s+–){6}$/);

  // A model with no run at all keeps its columns: relu-bce everywhere missing.
  const onlyMse = buildMatrixTable(matrix().filter((c) => c.labels.model === 'relu-mse' && c.labels.pair === '5v8'), { axes: AXES, expected });
  assert.deepEqual(onlyMse.columnAxes, ['model'], 'the model axis varies among the expected combinations');
  assert.deepEqual(onlyMse.rowAxes, ['pair']);
  assert.deepEqual(onlyMse.columns.map((c) => c.labels.model ?? ''), ['', '', 'relu-mse', 'relu-mse', 'relu-bce', 'relu-bce']);
  assert.equal(onlyMse.rows.length, 3);
  // Without `expected` the same runs make one row and no model axis.
  assert.equal(buildMatrixTable(matrix().filter((c) => c.labels.model === 'relu-mse' && c.labels.pair === '5v8'), { axes: AXES }).rows.length, 1);
});

test('the 95% t-interval after cells over two or more seed runs (interval option), none for one run', () => {
  const t = buildMatrixTable(matrix(['quick.5v8.relu-bce.1', 'quick.5v8.relu-bce.2']), { axes: AXES });
  const text = formatMatrixTable(t, { interval: true });
  // relative 5v8 relu-mse: 0.90, 0.92, 0.97 -> 0.93 ± 0.036, half width 4.302653 * 0.0360555 / sqrt(3) = 0.0896.
  assert.ok(text.includes('0.930 ± 0.036 [0.840, 1.020]'), text);
  // relative 5v8 relu-bce: one run (0.80 ± 0.01 over its 2 clustering seeds): no interval.
  assert.ok(text.includes('0.800 ± 0.014 (n=1)'), text);
  assert.ok(!formatMatrixTable(t).includes('['), 'no interval unless asked');
  const two = formatMatrixMarkdown(buildMatrixTable(matrix(['quick.5v8.relu-mse.2']), { axes: AXES }), { interval: true });
  // 0.90, 0.92: 0.91 ± 0.0141, half width 12.706205 * 0.0141421 / sqrt(2) = 0.1271.
  assert.ok(two.includes('0.910 ± 0.014 [0.783, 1.037] (n=2)'), two);
  assert.match(matrixTableCaption(t, { interval: true }), /\[low, high\] the 95% t-interval of that mean/);
});
