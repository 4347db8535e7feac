import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ElasticityError } from '@elasticity/core';
import { parseClusterConfig } from './cluster-config.ts';

test('defaults: k 2, 5 seeds, 10 restarts and the five methods of the paper', () => {
  const c = parseClusterConfig(undefined, 'p.json');
  assert.deepEqual(c, {
    k: 2, seeds: 5, restarts: 10, maxIterations: 300, eigenSolver: 'auto',
    methods: [
      { input: 'raw', method: 'kmeans' },
      { input: 'pca', method: 'kmeans' },
      { input: 'relative', method: 'kmeans' },
      { input: 'kernelized', method: 'kernel-kmeans' },
      { input: 'ntk', method: 'kernel-kmeans' },
    ],
    memoryMb: 4096,
  });
  assert.deepEqual(parseClusterConfig({}, 'p.json'), c);
  const custom = parseClusterConfig({ k: 3, seeds: 1, methods: [{ input: 'ntk', method: 'kmeans' }] }, 'p.json');
  assert.equal(custom.k, 3);
  assert.equal(custom.seeds, 1);
  assert.equal(custom.restarts, 10);
  assert.deepEqual(custom.methods, [{ input: 'ntk', method: 'kmeans' }]);
  const spectral = parseClusterConfig({ k: 4, eigenSolver: 'iterative', methods: [{ input: 'relative', method: 'spectral' }, { input: 'relative', method: 'kmeans' }] }, 'p.json');
  assert.equal(spectral.eigenSolver, 'iterative');
  assert.deepEqual(spectral.methods.map((m) => m.method), ['spectral', 'kmeans']);
});

test('bad keys and values name the file and the field', () => {
  const bad: Array<[unknown, RegExp]> = [
    [{ kk: 2 }, /p\.json: cluster\.kk: unknown key/],
    [{ k: 1 }, /cluster\.k: must be an integer >= 2, got 1/],
    [{ seeds: 0 }, /cluster\.seeds: must be an integer >= 1/],
    [{ restarts: 1.5 }, /cluster\.restarts/],
    [{ methods: [] }, /cluster\.methods: must be a non-empty list/],
    [{ methods: [{ input: 'ntk', method: 'dbscan' }] }, /cluster\.methods\[0\]\.method: must be one of kmeans, kernel-kmeans, spectral, got "dbscan"/],
    [{ eigenSolver: 'lapack' }, /cluster\.eigenSolver: must be one of auto, dense, iterative, got "lapack"/],
    [{ methods: [{ input: '../x', method: 'kmeans' }] }, /cluster\.methods\[0\]\.input/],
    [{ methods: [{ input: 'ntk', method: 'kmeans', k: 3 }] }, /cluster\.methods\[0\]\.k: unknown key/],
    [{ methods: [{ input: 'ntk', method: 'kmeans' }, { input: 'ntk', method: 'kmeans' }] }, /cluster\.methods\[1\]: ntk with kmeans is listed twice/],
    ['x', /cluster: must be an object/],
  ];
  for (const [section, re] of bad) {
    assert.throws(() => parseClusterConfig(section, 'p.json'), (e: unknown) => e instanceof ElasticityError && re.test(e.message), JSON.stringify(section));
  }
});

test('schema messages: closest key, type, range and allowed values at the JSON path', () => {
  const says = (section: unknown, message: string) =>
    assert.throws(() => parseClusterConfig(section, 'p.json'), (e: unknown) => e instanceof ElasticityError && e.file === 'p.json' && e.message === `p.json: ${message}`, message);
  says({ method: [] }, 'cluster.method: unknown key (did you mean "methods"?); allowed: k, seeds, restarts, maxIterations, eigenSolver, methods, memoryMb');
  says({ memoryMb: 0 }, 'cluster.memoryMb: must be a number >= 1, got 0');
  says({ methods: [{ input: 'raw', metod: 'kmeans' }] }, 'cluster.methods[0].metod: unknown key (did you mean "method"?); allowed: input, method');
  says({ k: 'two' }, 'cluster.k: must be an integer >= 2, got "two"');
  says({ maxIterations: 0 }, 'cluster.maxIterations: must be an integer >= 1, got 0');
  says({ methods: [{ input: 'raw', method: 'kmeans' }, { input: 'pca', method: 'kmeans' }, { input: 'ntk', method: 'kmean' }] },
    'cluster.methods[2].method: must be one of kmeans, kernel-kmeans, spectral, got "kmean" (did you mean "kmeans"?)');
  says({ methods: [{ input: 'raw' }] }, 'cluster.methods[0].method: is required: one of kmeans, kernel-kmeans, spectral');
  says({ methods: 'kmeans' }, 'cluster.methods: must be a non-empty list (each item an object with keys input, method), got "kmeans"');
  // A default list is a fresh copy: changing one parse's result does not change the next.
  const first = parseClusterConfig({}, 'p.json');
  first.methods[0].method = 'spectral';
  assert.equal(parseClusterConfig({}, 'p.json').methods[0].method, 'kmeans');
});
