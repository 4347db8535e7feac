import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ElasticityError } from '@elasticity/core';
import { parseIngestConfig } from './config.ts';

const F = 'pipelines/x.json';
const fails = (section: unknown, field: string, pattern?: RegExp) =>
  assert.throws(() => parseIngestConfig(section, F), (e: unknown) =>
    e instanceof ElasticityError && e.file === F && e.field === field && (!pattern || pattern.test(e.message)));

test('defaults: mnist-sample 4 vs 9 | 5,7, 500 per class, 1000 auxiliary', () => {
  assert.deepEqual(parseIngestConfig(undefined, F), {
    source: 'mnist-sample', path: null, primary: [4, 9], auxiliary: [5, 7], perClass: 500, auxiliaryCount: 1000, testPerClass: 100, seed: 0,
  });
  const c = parseIngestConfig({ source: 'mnist', perClass: 20, primary: [3, 8], auxiliary: [5] }, F);
  assert.deepEqual(c, { source: 'mnist', path: 'data/raw/mnist', primary: [3, 8], auxiliary: [5], perClass: 20, auxiliaryCount: 40, testPerClass: 100, seed: 0 });
  assert.equal((parseIngestConfig({ source: 'fashion-mnist' }, F) as { path: string }).path, '/usr/share/datasets/fashion-mnist');
});

test('CIFAR-10 class names and the alias car', () => {
  const c = parseIngestConfig({ source: 'cifar10', primary: ['car', 'cat'], auxiliary: ['Bird', 7] }, F);
  assert.deepEqual([c.source === 'cifar10' && c.primary, c.source === 'cifar10' && c.auxiliary], [[1, 3], [2, 7]]);
  fails({ source: 'cifar10', primary: ['car', 'lion'] }, 'dataset.primary[1]', /unknown class "lion"/);
  fails({ source: 'mnist-sample', primary: ['cat', 3] }, 'dataset.primary[0]', /integer 0\.\.9/);
  fails({ primary: [4, 10] }, 'dataset.primary[1]');
});

test('synthetic: only seed and synthetic apply', () => {
  assert.deepEqual(parseIngestConfig({ source: 'synthetic' }, F), { source: 'synthetic', seed: 0, synthetic: { shape: 'torus', points: 100 } });
  assert.deepEqual(parseIngestConfig({ source: 'synthetic', seed: 3, synthetic: { shape: 'spheres', points: 7 } }, F),
    { source: 'synthetic', seed: 3, synthetic: { shape: 'spheres', points: 7 } });
  fails({ source: 'synthetic', primary: [1, 2] }, 'dataset.primary', /not used/);
  fails({ source: 'synthetic', synthetic: { shape: 'cube' } }, 'dataset.synthetic.shape', /torus, folded-boxes/);
  fails({ source: 'synthetic', synthetic: { points: 0 } }, 'dataset.synthetic.points');
  fails({ source: 'synthetic', synthetic: { size: 3 } }, 'dataset.synthetic.size', /unknown key/);
  fails({ synthetic: { shape: 'torus' } }, 'dataset.synthetic', /only used/);
});

test('invalid sections name the key and the allowed values', () => {
  fails([], 'dataset', /object/);
  fails({ sorce: 'mnist' }, 'dataset.sorce', /unknown key/);
  fails({ source: 'imagenet' }, 'dataset.source', /mnist-sample, mnist, fashion-mnist, cifar10, synthetic/);
  fails({ primary: [4] }, 'dataset.primary', /at least 2/);
  fails({ primary: [4, 4] }, 'dataset.primary', /twice/);
  fails({ auxiliary: [] }, 'dataset.auxiliary');
  fails({ auxiliary: [9, 5] }, 'dataset.auxiliary', /also primary/);
  fails({ perClass: 0 }, 'dataset.perClass');
  fails({ perClass: 2.5 }, 'dataset.perClass');
  fails({ testPerClass: -1 }, 'dataset.testPerClass');
  fails({ seed: 'x' }, 'dataset.seed');
  fails({ path: 'x' }, 'dataset.path', /embedded/);
  fails({ source: 'mnist', path: 3 }, 'dataset.path');
});
