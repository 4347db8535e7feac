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
    source: 'mnist-sample', path: null, primary: [4, 9], auxiliary: [5, 7], perClass: 500, auxiliaryCount: 1000, testPerClass: 100, split: 'train', seed: 0,
  });
  const c = parseIngestConfig({ source: 'mnist', perClass: 20, primary: [3, 8], auxiliary: [5] }, F);
  assert.deepEqual(c, { source: 'mnist', path: 'data/raw/mnist', primary: [3, 8], auxiliary: [5], perClass: 20, auxiliaryCount: 40, testPerClass: 100, split: 'train', seed: 0 });
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

/** The whole message: file, JSON path, then what is expected and what was given. */
const says = (section: unknown, message: string) =>
  assert.throws(() => parseIngestConfig(section, F), (e: unknown) => e instanceof ElasticityError && e.message === `${F}: ${message}`, message);

test('schema messages: closest key, allowed values and ranges, at the JSON path', () => {
  says({ sourse: 'mnist' },
    'dataset.sourse: unknown key (did you mean "source"?); allowed: source, path, primary, auxiliary, perClass, auxiliaryCount, testPerClass, split, seed, synthetic');
  says({ source: 'synthetic', synthetic: { shap: 'torus' } }, 'dataset.synthetic.shap: unknown key (did you mean "shape"?); allowed: shape, points');
  // An unknown key is reported before a bad value elsewhere.
  says({ perClass: 0, testPerClas: 3 }, 'dataset.testPerClas: unknown key (did you mean "testPerClass"?); allowed: source, path, primary, auxiliary, perClass, auxiliaryCount, testPerClass, split, seed, synthetic');
  says({ perClass: 'many' }, 'dataset.perClass: must be an integer in [1, 2147483647], got "many"');
  says({ source: 'synthetic', synthetic: 'torus' }, 'dataset.synthetic: must be an object with keys shape, points, got "torus"');
  says({ source: 'synthetic', synthetic: { points: 2_000_000 } }, 'dataset.synthetic.points: must be an integer in [1, 1000000], got 2000000');
  says({ source: 'mnst' }, 'dataset.source: must be one of mnist-sample, mnist, fashion-mnist, cifar10, synthetic, got "mnst" (did you mean "mnist"?)');
  says({ source: 'synthetic', synthetic: { shape: 'tours' } }, 'dataset.synthetic.shape: must be one of torus, folded-boxes, cosine, helix, spheres, cycles, got "tours" (did you mean "torus"?)');
  says({ primary: [4, 10] }, 'dataset.primary[1]: must be a class: an integer 0..9 or (cifar10, fashion-mnist) a class name, got 10');
  says({ primary: [4] }, 'dataset.primary: must be a list of at least 2 classes (at most 10), each an integer 0..9 or (cifar10, fashion-mnist) a class name, got [4]');
  says({ source: 'fashion-mnist', primary: ['trousers', 'bag'] },
    'dataset.primary[0]: unknown class "trousers" for source "fashion-mnist" (expected 0..9 or one of t-shirt/top, trouser, pullover, dress, coat, sandal, shirt, sneaker, bag, ankle boot (also t-shirt, tshirt, top, ankle-boot, boot))');
});

test('defaults depend on the source: class names resolve, counts and folders follow the source', () => {
  assert.deepEqual(parseIngestConfig({ source: 'cifar10', primary: ['plane', 'ship'], perClass: 3 }, F),
    { source: 'cifar10', path: 'data/raw/cifar-10-batches-bin', primary: [0, 8], auxiliary: [5, 7], perClass: 3, auxiliaryCount: 6, testPerClass: 100, split: 'train', seed: 0 });
  assert.deepEqual(parseIngestConfig({ source: 'synthetic', synthetic: { points: 7 } }, F), { source: 'synthetic', seed: 0, synthetic: { shape: 'torus', points: 7 } });
  assert.deepEqual(parseIngestConfig(null, F), parseIngestConfig({}, F));
});
