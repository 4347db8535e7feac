import { test } from 'node:test';
import assert from 'node:assert/strict';
import { flattenParams, pipelineSections } from './flatten-params.ts';

test('flattenParams: nested objects become dotted paths; arrays stay whole values', () => {
  const methods = [{ input: 'raw', method: 'kmeans' }];
  const flat = flattenParams({
    dataset: { source: 'mnist', primary: [4, 9], options: { perClass: 500, seed: null } },
    train: { lr: 0.003 },
    cluster: { methods },
  });
  assert.deepEqual([...flat.entries()], [
    ['dataset.source', 'mnist'],
    ['dataset.primary', [4, 9]],
    ['dataset.options.perClass', 500],
    ['dataset.options.seed', null],
    ['train.lr', 0.003],
    ['cluster.methods', methods],
  ]);
});

test('flattenParams: an empty section is kept as a leaf (it switches its stage on); a prefix is prepended', () => {
  const flat = flattenParams({ ntk: {}, report: { title: 'x' } }, 'lr=0.1/');
  assert.deepEqual([...flat.entries()], [['lr=0.1/ntk', {}], ['lr=0.1/report.title', 'x']]);
});

test('pipelineSections drops $schema and description only', () => {
  assert.deepEqual(pipelineSections({ $schema: 's', description: 'd', train: { lr: 1 } }), { train: { lr: 1 } });
});
