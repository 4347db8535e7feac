import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatResultsTable, formatResultsMarkdown } from './table.ts';
import { methodLabel, shortMethodLabel } from './labels.ts';

const s = (values: number[]) => {
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  const sd = values.length > 1 ? Math.sqrt(values.reduce((a, v) => a + (v - mean) ** 2, 0) / (values.length - 1)) : 0;
  return { mean, sd, values };
};

test('method labels read like the paper\'s columns', () => {
  assert.equal(methodLabel('raw', 'kmeans'), 'K-means on pixels');
  assert.equal(methodLabel('pca', 'kmeans'), 'PCA + K-means');
  assert.equal(methodLabel('ntk', 'kernel-kmeans'), 'NTK + kernel K-means');
  assert.equal(methodLabel('custom', 'other'), 'custom + other');
  assert.equal(shortMethodLabel('raw', 'kmeans'), 'K-means');
  assert.equal(shortMethodLabel('kernelized', 'kernel-kmeans'), 'kernelized · kernel K-means');
  assert.equal(shortMethodLabel('autoencoder', 'spectral'), 'autoencoder · spectral clustering');
});

test('the text table aligns columns and shows mean ± sd over seeds', () => {
  const table = formatResultsTable([
    { input: 'raw', method: 'kmeans', accuracy: s([0.5, 0.7]), ari: s([0, 0.2]), nmi: s([0.1, 0.1]) },
    { input: 'relative', method: 'kmeans', accuracy: s([0.9]), ari: s([0.64]), nmi: s([0.5]) },
  ]);
  const lines = table.split('\n');
  assert.equal(lines.length, 4);
  // mean 0.6, sd sqrt(((−0.1)² + 0.1²)/1) = 0.141421…
  assert.match(lines[2], /^K-means on pixels\s+0\.6000 ± 0\.1414\s+0\.1000 ± 0\.1414\s+0\.1000 ± 0\.0000$/);
  assert.match(lines[3], /^relative similarity \+ K-means\s+0\.9000\s+0\.6400\s+0\.5000$/);
  assert.equal(lines[2].indexOf('0.6000'), lines[3].indexOf('0.9000'));
  const md = formatResultsMarkdown([{ input: 'pca', method: 'kmeans', accuracy: s([1]), ari: s([1]), nmi: s([1]) }]);
  assert.equal(md.split('\n')[2], '| PCA + K-means | 1.0000 | 1.0000 | 1.0000 |');
});
