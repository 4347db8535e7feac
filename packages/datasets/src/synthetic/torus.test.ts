import { test } from 'node:test';
import assert from 'node:assert/strict';
import { generateSynthetic } from './generate.ts';
import { torus } from './torus.ts';

test('torus: points follow the donut formulas of method.md from their coordinate t', () => {
  const data = generateSynthetic('torus', 300, 3);
  assert.equal(data.count, 600);
  assert.equal(data.dim, 3);
  for (let i = 0; i < data.count; i++) {
    const t = data.coord[i];
    assert.ok(t >= -Math.PI && t <= Math.PI);
    const [x, y, z] = data.x.subarray(3 * i, 3 * i + 3);
    const s = data.labels[i] === 1 ? 1 : -1;
    assert.equal(data.labels[i], i % 2 === 0 ? 1 : 0);
    // Class 1: (8 cos t + sin 4t cos t, 8 sin t + sin 4t sin t, cos 4t); class 0 negates the sin 4t terms and z.
    assert.ok(Math.abs(x - (8 * Math.cos(t) + s * Math.sin(4 * t) * Math.cos(t))) < 1e-12);
    assert.ok(Math.abs(y - (8 * Math.sin(t) + s * Math.sin(4 * t) * Math.sin(t))) < 1e-12);
    assert.ok(Math.abs(z - s * Math.cos(4 * t)) < 1e-12);
    // Implicit form: radius 8 +/- sin 4t in the plane, at angle t.
    assert.ok(Math.abs(Math.hypot(x, y) - (8 + s * Math.sin(4 * t))) < 1e-9);
  }
  // One draw, one point of each class, same t.
  for (let i = 0; i < data.count; i += 2) assert.equal(data.coord[i], data.coord[i + 1]);
});

test('torus geodesic: circular |t1 - t2|', () => {
  assert.equal(torus.geodesic([1.2], [1.2], 1), 0);
  assert.ok(Math.abs(torus.geodesic([Math.PI - 0.1], [-Math.PI + 0.1], 1) - 0.2) < 1e-12);
  assert.ok(Math.abs(torus.geodesic([-1], [2], 1) - 3) < 1e-12);
  assert.equal(torus.geodesic([0.3], [-2.5], 1), torus.geodesic([-2.5], [0.3], 1));
  assert.ok(Math.abs(torus.geodesic([0], [Math.PI], 1) - Math.PI) < 1e-12);
});
