import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ElasticityError } from '@elasticity/core';
import { readRunDocument } from './run-document.ts';

const s = (mean: number) => ({ mean, sd: 0, values: [mean] });
const pipelineResults = (name: string, acc: number, params?: Record<string, unknown>) => ({
  pipeline: name, title: name, dataset: { name: 'd', examples: 4, primary: 2 },
  results: [{ input: 'raw', method: 'kmeans', accuracy: s(acc), ari: s(0), nmi: s(0) }],
  ...(params ? { params } : {}),
});

test('a pipeline results.json: its params sections flattened, metrics flattened', () => {
  const doc = readRunDocument(pipelineResults('default', 0.5, { train: { lr: 0.1 } }), 'r.json');
  assert.equal(doc.kind, 'pipeline');
  assert.equal(doc.pipeline, 'default');
  assert.deepEqual([...doc.params!], [['train.lr', 0.1]]);
  assert.equal(doc.metrics.get('accuracy/raw/kmeans'), 0.5);
  assert.equal(readRunDocument(pipelineResults('default', 0.5), 'r.json').params, undefined);
});

test('a matrix report: per combo, metrics and params prefixed with the combo id; axes and filter as params', () => {
  const doc = readRunDocument({
    title: 'm', pipeline: 'base', axes: ['width'], filter: { scale: 'quick' },
    table: { columns: ['raw kmeans'], rows: [] },
    combos: [
      { id: 'width=64', labels: { 'train.width': '64' }, results: pipelineResults('base', 0.5, { train: { width: 64 } }) },
      { id: 'width=128', labels: { 'train.width': '128' }, results: pipelineResults('base', 0.7) },
    ],
  }, 'm.json');
  assert.equal(doc.kind, 'matrix');
  assert.equal(doc.pipeline, 'base');
  assert.equal(doc.metrics.get('width=64/accuracy/raw/kmeans'), 0.5);
  assert.equal(doc.metrics.get('width=128/accuracy/raw/kmeans'), 0.7);
  assert.equal(doc.metrics.size, 2 * 4);
  assert.deepEqual([...doc.params!], [['width=64/train.width', 64]]);
  assert.deepEqual([...doc.ownParams], [['matrix-report.axes', ['width']], ['matrix-report.filter', { scale: 'quick' }]]);
});

test('a cross-pipeline report: prefixed with each pipeline name', () => {
  const doc = readRunDocument({ title: 'all', pipelines: [pipelineResults('a', 0.5), pipelineResults('b', 0.6)], table1: {} }, 'all.json');
  assert.equal(doc.kind, 'all');
  assert.deepEqual([...doc.metrics.keys()].filter((k) => k.includes('accuracy')), ['a/accuracy/raw/kmeans', 'a/accuracy/raw/kmeans/sd', 'b/accuracy/raw/kmeans', 'b/accuracy/raw/kmeans/sd']);
  assert.equal(doc.params, undefined);
});

test('malformed documents: one error naming the file and the field', () => {
  const bad = (value: unknown, field: string | undefined) => assert.throws(() => readRunDocument(value, 'bad.json'),
    (e: unknown) => e instanceof ElasticityError && e.file === 'bad.json' && e.field === field);
  bad([1, 2], undefined);
  bad({ results: [] }, 'pipeline');
  bad({ ...pipelineResults('p', 0.5), params: [1] }, 'params');
  bad({ combos: {} }, 'combos');
  bad({ combos: [{ id: '', results: {} }] }, 'combos[0].id');
  bad({ combos: [{ id: 'x', results: pipelineResults('p', 1) }, { id: 'x', results: pipelineResults('p', 1) }] }, 'combos[1].id');
  bad({ combos: [{ id: 'x', results: { results: [{ input: 'raw' }] } }] }, 'combos[0].results.results[0].method');
  bad({ pipelines: [{ results: [] }] }, 'pipelines[0].pipeline');
});
