import { test } from 'node:test';
import assert from 'node:assert/strict';
import { generateSynthetic } from './generate.ts';
import { SYNTHETIC_SHAPES, MANIFOLDS, geodesicDistance } from './shapes.ts';

test('every shape: 2 points per draw (label 1 then 0), deterministic per seed, different across seeds', () => {
  for (const shape of SYNTHETIC_SHAPES) {
    const a = generateSynthetic(shape, 50, 1);
    const b = generateSynthetic(shape, 50, 1);
    const c = generateSynthetic(shape, 50, 2);
    assert.equal(a.count, 100);
    assert.equal(a.x.length, 100 * MANIFOLDS[shape].dim);
    assert.equal(a.coord.length, 100 * MANIFOLDS[shape].coordDim);
    assert.deepEqual(Array.from(a.labels), Array.from({ length: 100 }, (_, i) => (i % 2 === 0 ? 1 : 0)));
    assert.deepEqual(a.x, b.x, shape);
    assert.deepEqual(a.coord, b.coord, shape);
    assert.notDeepEqual(a.x, c.x, shape);
    assert.ok(a.x.every(Number.isFinite));
  }
});

test('geodesicDistance: zero on identical points, symmetric, triangle inequality, per shape', () => {
  for (const shape of SYNTHETIC_SHAPES) {
    const data = generateSynthetic(shape, 15, 7);
    const k = data.coordDim;
    const coordOf = (i: number) => data.coord.subarray(2 * i * k, 2 * i * k + k); // label-1 rows
    for (let i = 0; i < 15; i++) {
      assert.equal(geodesicDistance(shape, coordOf(i), coordOf(i)), 0, shape);
      for (let j = 0; j < 15; j++) {
        const dij = geodesicDistance(shape, coordOf(i), coordOf(j));
        assert.ok(dij >= 0);
        assert.ok(Math.abs(dij - geodesicDistance(shape, coordOf(j), coordOf(i))) < 1e-12, shape);
        for (let m = 0; m < 15; m += 4) {
          assert.ok(dij <= geodesicDistance(shape, coordOf(i), coordOf(m)) + geodesicDistance(shape, coordOf(m), coordOf(j)) + 1e-9, shape);
        }
      }
    }
  }
});
