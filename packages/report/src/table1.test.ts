import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildTable1, formatCell } from './table1.ts';
import type { PipelineResults } from './pipeline-results.ts';

const s = (mean: number, sd = 0, n = 2) => ({ mean, sd, values: Array.from({ length: n }, () => mean) });
const r = (input: string, method: string, acc: number) => ({ input, method, accuracy: s(acc, 0.01), ari: s(0), nmi: s(0) });
const training = (model: string, loss: string) => ({ model, width: 8, loss, epochs: 1, backend: 'cpu', finalLoss: 0, trainAccuracy: 1, testAccuracy: -1 });
const pipeline = (name: string, dataset: string, model: string, loss: string, results: ReturnType<typeof r>[]): PipelineResults => ({
  pipeline: name, title: name, dataset: { name: dataset, examples: 4, primary: 2 }, training: training(model, loss), results,
});

test('rows are data sets, columns baselines then each model\'s methods; a baseline measured twice keeps the first', () => {
  const t = buildTable1([
    pipeline('a', 'mnist 4v9 | 5,7', 'MLPNet', 'mse', [r('raw', 'kmeans', 0.6), r('relative', 'kmeans', 0.9)]),
    pipeline('b', 'mnist 4v9 | 5,7', 'MLPProb', 'bce', [r('raw', 'kmeans', 0.7), r('relative', 'kmeans', 0.8)]),
    pipeline('c', 'mnist 3v8 | 5', 'MLPNet', 'mse', [r('pca', 'kmeans', 0.55), r('kernelized', 'kernel-kmeans', 0.75)]),
    { ...pipeline('torus', 'synthetic torus', 'MLPNet', 'mse', []) },
  ]);
  assert.deepEqual(t.columns, [
    'K-means on pixels', 'PCA + K-means', 'relative similarity + K-means (MLPNet, mse)', 'relative similarity + K-means (MLPProb, bce)',
    'kernelized similarity + kernel K-means (MLPNet, mse)',
  ]);
  assert.equal(t.rows.length, 2, 'the pipeline without clustering adds no row');
  assert.deepEqual(t.rows[0].pipelines, ['a', 'b']);
  assert.deepEqual(t.rows[0].cells.map((c) => c?.mean), [0.6, undefined, 0.9, 0.8, undefined]);
  assert.deepEqual(t.rows[1].cells.map((c) => c?.mean), [undefined, 0.55, undefined, undefined, 0.75]);
});

test('cells read mean ± sd over seeds', () => {
  assert.equal(formatCell(s(0.91234, 0.0123)), '0.9123 ± 0.0123');
  assert.equal(formatCell(s(0.5, 0, 1)), '0.5000');
  assert.equal(formatCell(undefined), '–');
});

test('the autoencoder and user feature baselines are shared columns, not one per model', () => {
  const t = buildTable1([
    pipeline('a', 'mnist 5v8 | 9,3', 'MLPNet', 'mse', [r('autoencoder', 'kmeans', 0.7), r('resnet', 'kmeans', 0.8), r('ntk-normalized', 'kernel-kmeans', 0.9)]),
    pipeline('b', 'mnist 5v8 | 9,3', 'MLPProb', 'bce', [r('autoencoder', 'kmeans', 0.6), r('ntk-normalized', 'kernel-kmeans', 0.85)]),
  ]);
  assert.deepEqual(t.columns, [
    'autoencoder + K-means', 'resnet + K-means', 'ntk-normalized + kernel K-means (MLPNet, mse)', 'ntk-normalized + kernel K-means (MLPProb, bce)',
  ]);
  assert.deepEqual(t.rows[0].cells.map((c) => c?.mean), [0.7, 0.8, 0.9, 0.85], 'the first pipeline\'s autoencoder result is kept');
});
