import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ElasticityError } from '@elasticity/core';
import { flattenMetrics, isTimingMetric } from './flatten-metrics.ts';

const summary = (mean: number, sd: number) => ({ mean, sd, values: [mean - sd, mean + sd] });

test('flattenMetrics: clustering accuracy (mean, sd), ARI and NMI means, training and geodesic correlations', () => {
  const flat = flattenMetrics({
    pipeline: 'p',
    results: [
      { input: 'raw', method: 'kmeans', accuracy: summary(0.5, 0.01), ari: summary(0.1, 0.02), nmi: summary(0.2, 0.03) },
      { input: 'ntk', method: 'kernel-kmeans', accuracy: summary(0.9, 0), ari: summary(0.6, 0), nmi: summary(0.7, 0) },
    ],
    training: { model: 'MLPNet', trainAccuracy: 0.95, testAccuracy: 0.93, finalLoss: null, seconds: 4.5, epochs: 20 },
    geodesic: [
      { measure: 'relative similarity', source: 'relative', pairs: 10, pearson: -0.8, spearman: -0.7, bins: [] },
      { measure: 'kernel distance', source: 'ntk', pairs: 10, pearson: 0.6 },
    ],
  }, 'r.json');
  assert.deepEqual(Object.fromEntries(flat), {
    'accuracy/raw/kmeans': 0.5, 'accuracy/raw/kmeans/sd': 0.01, 'ari/raw/kmeans': 0.1, 'nmi/raw/kmeans': 0.2,
    'accuracy/ntk/kernel-kmeans': 0.9, 'accuracy/ntk/kernel-kmeans/sd': 0, 'ari/ntk/kernel-kmeans': 0.6, 'nmi/ntk/kernel-kmeans': 0.7,
    'training.trainAccuracy': 0.95, 'training.testAccuracy': 0.93, 'training.finalLoss': null, 'training.seconds': 4.5,
    'geodesic/relative/relative-similarity/pearson': -0.8, 'geodesic/relative/relative-similarity/spearman': -0.7,
    'geodesic/ntk/kernel-distance/pearson': 0.6,
  });
});

test('flattenMetrics: a prefix names every metric; a repeated input/method is numbered', () => {
  const r = { input: 'raw', method: 'kmeans', accuracy: { mean: 0.5 }, ari: summary(0, 0), nmi: summary(0, 0) };
  const flat = flattenMetrics({ results: [r, { ...r, accuracy: { mean: 0.6 } }] }, 'f', '', 'c1/');
  assert.deepEqual([...flat.keys()], ['c1/accuracy/raw/kmeans', 'c1/ari/raw/kmeans', 'c1/nmi/raw/kmeans',
    'c1/accuracy/raw/kmeans#2', 'c1/ari/raw/kmeans#2', 'c1/nmi/raw/kmeans#2']);
  assert.equal(flat.get('c1/accuracy/raw/kmeans#2'), 0.6);
});

test('flattenMetrics: malformed entries throw one error naming the file and the field', () => {
  const bad = (results: Record<string, unknown>, field: string) => assert.throws(() => flattenMetrics(results, 'x/results.json', 'combos[1].results'),
    (e: unknown) => e instanceof ElasticityError && e.file === 'x/results.json' && e.field === field);
  bad({}, 'combos[1].results.results');
  bad({ results: [{ input: 'raw', method: 'kmeans', accuracy: { mean: '0.5' }, ari: summary(0, 0), nmi: summary(0, 0) }] }, 'combos[1].results.results[0].accuracy.mean');
  bad({ results: [{ input: 'raw', accuracy: summary(0, 0) }] }, 'combos[1].results.results[0].method');
  bad({ results: [], training: { finalLoss: 'NaN' } }, 'combos[1].results.training.finalLoss');
  bad({ results: [], geodesic: {} }, 'combos[1].results.geodesic');
});

test('isTimingMetric: training seconds, also under a combo prefix', () => {
  assert.equal(isTimingMetric('training.seconds'), true);
  assert.equal(isTimingMetric('width=64/training.seconds'), true);
  assert.equal(isTimingMetric('training.finalLoss'), false);
});
