import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Dataset } from '@elasticity/core';
import { rawFeatures } from './raw.ts';

test('raw features are the primary rows, in dataset order, as float64', () => {
  const ds: Dataset = {
    name: 't', inputShape: [2], scaling: 'none', d: 2,
    ids: Int32Array.of(10, 11, 12, 13),
    x: Float32Array.of(0.5, -1, 2, 3, 0.25, 0.125, -4, 8),
    target: Float32Array.of(1, 0, 1, 0),
    classes: Int16Array.of(4, 5, 9, 7),
    roles: ['primary', 'auxiliary', 'primary', 'auxiliary'],
  };
  const f = rawFeatures(ds);
  assert.equal(f.kind, 'raw');
  assert.equal(f.dim, 2);
  assert.ok(f.values instanceof Float64Array);
  assert.deepEqual(Array.from(f.ids), [10, 12]);
  assert.deepEqual(Array.from(f.values), [0.5, -1, 0.25, 0.125]);
});
