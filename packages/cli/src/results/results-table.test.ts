import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { ElasticityError } from '@elasticity/core';
import { tempDir, writeJson } from '../compare/test-fixtures.ts';
import { readResultsFolder } from './read-results-folder.ts';
import { resultsTable } from './results-table.ts';
import { resultsTableText } from './results-table-text.ts';

/** Mean and sample sd, written out here so that the fixtures do not depend on the code under test. */
function summary(values: number[]) {
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  return { mean, sd: Math.sqrt(values.reduce((a, v) => a + (v - mean) ** 2, 0) / (values.length - 1)), values };
}

/** A hand-made combination file: accuracies per method over two clustering seeds (ARI and NMI are not tabulated). */
function combination(matrix: Record<string, string[]>, labels: Record<string, string>, selection: Record<string, string>, accuracy: Record<string, number[]>) {
  const methods: Record<string, [string, string]> = { raw: ['raw', 'kmeans'], pca: ['pca', 'kmeans'], relative: ['relative', 'kmeans'], kernelized: ['kernelized', 'kernel-kmeans'] };
  const id = Object.keys(matrix).map((a) => labels[a]).join('.');
  return {
    pipeline: 'paper/t1', title: `paper/t1/${id}`, combination: id, labels,
    matrix: Object.entries(matrix).map(([axis, values]) => ({ axis, labels: values })), selection,
    dataset: { name: `mnist-sample ${labels.pair}`, examples: 8, primary: 4 },
    results: Object.entries(accuracy).map(([m, values]) => ({ input: methods[m][0], method: methods[m][1], accuracy: summary(values), ari: summary([0, 0]), nmi: summary([0, 0]) })),
    timings: {}, provenance: { inputs: {} },
  };
}

const TABLE1 = { scale: ['quick', 'paper'], pair: ['5v8', '4v9'], model: ['relu-mse', 'relu-bce'] };

test('Table 1 of a results folder: rows pairs, each model\'s methods, baselines once; a missing combination "–" and counted', async (t) => {
  const dir = tempDir(t, 'results-table-');
  const suite = { scale: 'paper' };
  writeJson(dir, 'paper.5v8.relu-mse.json', combination(TABLE1, { scale: 'paper', pair: '5v8', model: 'relu-mse' }, suite,
    { raw: [0.50, 0.52], pca: [0.51, 0.51], relative: [0.80, 0.84], kernelized: [0.90, 0.90] }));
  writeJson(dir, 'paper.5v8.relu-bce.json', combination(TABLE1, { scale: 'paper', pair: '5v8', model: 'relu-bce' }, suite,
    { raw: [0.50, 0.52], pca: [0.51, 0.51], relative: [0.60, 0.70], kernelized: [0.75, 0.77] }));
  // Run on its own (`run --only` the whole combination): its selection is narrower; the folder's suite is what all files agree on.
  writeJson(dir, 'paper.4v9.relu-mse.json', combination(TABLE1, { scale: 'paper', pair: '4v9', model: 'relu-mse' }, { scale: 'paper', pair: '4v9', model: 'relu-mse' },
    { raw: [0.55, 0.57], pca: [0.54, 0.56], relative: [0.61, 0.63], kernelized: [0.70, 0.70] }));

  const rt = resultsTable((await readResultsFolder(dir)).map((f) => f.results));
  assert.equal(rt.pipeline, 'paper/t1');
  assert.deepEqual(rt.selection, { scale: 'paper' });
  assert.deepEqual(rt.expected, ['paper.5v8.relu-mse', 'paper.5v8.relu-bce', 'paper.4v9.relu-mse', 'paper.4v9.relu-bce']);
  assert.deepEqual(rt.missing, ['paper.4v9.relu-bce']);
  assert.equal(rt.table.over, undefined);

  const lines = resultsTableText(rt, { folder: 'results/t1', markdown: false }).split('\n');
  assert.equal(lines[0], 'paper/t1 --only scale=paper: 3 of 4 combinations done (results/t1)');
  assert.equal(lines[1], 'missing: paper.4v9.relu-bce');
  assert.equal(lines[3], 'Clustering accuracy of the primary pair, mean ± sd over the clustering seeds; fixed: scale=paper.');
  assert.match(lines[5], /^\s+relu-mse\s+relu-mse\s+relu-bce\s+relu-bce$/);
  assert.match(lines[6], /^pair\s+K-means\s+PCA · K-means\s+relative · K-means\s+kernelized · kernel K-means\s+relative · K-means\s+kernelized · kernel K-means$/);
  // 0.50, 0.52: 0.51 ± sqrt(2 · 0.01²) = 0.014; 0.80, 0.84: 0.82 ± 0.028; 0.60, 0.70: 0.65 ± 0.071.
  assert.match(lines[8], /^5v8\s+0\.510 ± 0\.014\s+0\.510 ± 0\.000\s+0\.820 ± 0\.028\s+0\.900 ± 0\.000\s+0\.650 ± 0\.071\s+0\.760 ± 0\.014$/);
  assert.match(lines[9], /^4v9\s+0\.560 ± 0\.014\s+0\.550 ± 0\.014\s+0\.620 ± 0\.014\s+0\.700 ± 0\.000\s+–\s+–$/);
  assert.equal(lines.length, 11, 'ends with a newline');

  const md = resultsTableText(rt, { folder: 'results/t1', markdown: true });
  assert.ok(md.includes('| pair | data set | K-means on pixels | PCA + K-means | relative similarity + K-means (relu-mse) |'), md);
  assert.ok(md.includes('| 4v9 | mnist-sample 4v9 | 0.560 ± 0.014 | 0.550 ± 0.014 | 0.620 ± 0.014 | 0.700 ± 0.000 | – | – |'), md);
});

test('rows by pair and model (--rows pair,model): each method one column, the baselines on every row of their pair', async (t) => {
  const dir = tempDir(t, 'results-rows-');
  const suite = { scale: 'paper' };
  writeJson(dir, 'paper.5v8.relu-mse.json', combination(TABLE1, { scale: 'paper', pair: '5v8', model: 'relu-mse' }, suite,
    { raw: [0.50, 0.52], relative: [0.80, 0.84] }));
  writeJson(dir, 'paper.5v8.relu-bce.json', combination(TABLE1, { scale: 'paper', pair: '5v8', model: 'relu-bce' }, suite,
    { raw: [0.50, 0.52], relative: [0.60, 0.70] }));
  const rt = resultsTable((await readResultsFolder(dir)).map((f) => f.results), { rowAxes: ['pair', 'model'] });
  const md = resultsTableText(rt, { folder: 'results/t1', markdown: true });
  assert.ok(md.includes('| pair · model | data set | K-means on pixels | relative similarity + K-means |'), md);
  // 0.50, 0.52 -> 0.510 ± 0.014; 0.80, 0.84 -> 0.820 ± 0.028; 0.60, 0.70 -> 0.650 ± 0.071
  assert.ok(md.includes('| 5v8 · relu-mse | mnist-sample 5v8 | 0.510 ± 0.014 | 0.820 ± 0.028 |'), md);
  assert.ok(md.includes('| 5v8 · relu-bce | mnist-sample 5v8 | 0.510 ± 0.014 | 0.650 ± 0.071 |'), md);
  assert.ok(md.includes('| 4v9 · relu-mse | – | – | – |'), md);
  await assert.rejects(async () => resultsTable((await readResultsFolder(dir)).map((f) => f.results), { rowAxes: ['pairs'] }), (e: unknown) => e instanceof ElasticityError && /"pairs" is not an axis/.test(e.message));
});

test('training seeds: mean ± sd over the seeds of each run\'s mean, and the 95% t-interval; pairs without runs stay as rows', async (t) => {
  const dir = tempDir(t, 'results-seeds-');
  const matrix = { pair: ['5v8', '4v9'], model: ['relu-mse', 'relu-bce'], seed: ['0', '1', '2'] };
  const relative = [0.90, 0.92, 0.97];
  const raw = [0.50, 0.52, 0.54];
  for (const seed of [0, 1, 2]) {
    writeJson(dir, `5v8.relu-mse.${seed}.json`, combination(matrix, { pair: '5v8', model: 'relu-mse', seed: String(seed) }, {},
      { raw: [raw[seed] - 0.01, raw[seed] + 0.01], relative: [relative[seed] - 0.01, relative[seed] + 0.01], kernelized: [0.7, 0.7] }));
  }
  writeJson(dir, '5v8.relu-bce.0.json', combination(matrix, { pair: '5v8', model: 'relu-bce', seed: '0' }, {},
    { raw: [0.49, 0.51], relative: [0.79, 0.81], kernelized: [0.6, 0.6] }));

  const rt = resultsTable((await readResultsFolder(dir)).map((f) => f.results));
  assert.equal(rt.expected.length, 12);
  assert.equal(rt.missing.length, 8);
  assert.equal(rt.table.over, 'seed');
  const lines = resultsTableText(rt, { folder: 'results/s', markdown: false }).split('\n');
  assert.equal(lines[0], 'paper/t1: 4 of 12 combinations done (results/s)');
  assert.match(lines[3], /mean ± sd over the 3 values of seed of each run's mean over its clustering seeds, \[low, high\] the 95% t-interval of that mean/);
  // relative 5v8 relu-mse: 0.90, 0.92, 0.97 -> 0.930 ± 0.036, half width 4.302653 · 0.0360555 / sqrt(3) = 0.0896.
  // K-means on pixels (seed 0 from relu-bce, the file read first: 0.50): 0.50, 0.52, 0.54 -> 0.520 ± 0.020 [0.470, 0.570].
  // relu-bce: one run of three: its clustering seeds' mean ± sd, no interval.
  assert.match(lines[8], /^5v8\s+0\.520 ± 0\.020 \[0\.470, 0\.570\]\s+0\.930 ± 0\.036 \[0\.840, 1\.020\]\s+0\.700 ± 0\.000 \[0\.700, 0\.700\]\s+0\.800 ± 0\.014 \(n=1\)\s+0\.600 ± 0\.000 \(n=1\)$/);
  assert.match(lines[9], /^4v9(\s+–){5}$/);
});

test('a folder that is not one suite\'s results: one ElasticityError naming it', async (t) => {
  const rejects = (dir: string, text: string) => assert.rejects(readResultsFolder(dir), (e: unknown) => e instanceof ElasticityError && e.message.includes(text));
  await rejects(join(tempDir(t), 'nowhere'), 'no such results folder');
  await rejects(tempDir(t), 'holds no combination results');
  const other = tempDir(t);
  writeJson(other, 'a.json', combination(TABLE1, { scale: 'paper', pair: '5v8', model: 'relu-mse' }, {}, { raw: [0.5, 0.5] }));
  writeJson(other, 'b.json', { ...combination(TABLE1, { scale: 'paper', pair: '4v9', model: 'relu-mse' }, {}, { raw: [0.5, 0.5] }), pipeline: 'other' });
  await rejects(other, 'holds results of two pipelines: paper/t1');
  const plain = tempDir(t);
  writeJson(plain, 'results.json', { pipeline: 'default', dataset: { name: 'd' }, results: [] });
  await rejects(plain, 'not a combination results file');
});
