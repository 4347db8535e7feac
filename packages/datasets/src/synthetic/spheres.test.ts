import { test } from 'node:test';
import assert from 'node:assert/strict';
import { generateSynthetic } from './generate.ts';
import { spheres } from './spheres.ts';

test('spheres: class 1 on radius 10, class 0 on radius 20, same direction per draw', () => {
  const data = generateSynthetic('spheres', 2000, 4);
  let zSum = 0;
  for (let i = 0; i < data.count; i++) {
    const [x, y, z] = data.x.subarray(3 * i, 3 * i + 3);
    const r = data.labels[i] === 1 ? 10 : 20;
    assert.ok(Math.abs(Math.hypot(x, y, z) - r) < 1e-9);
    const [theta, phi] = data.coord.subarray(2 * i, 2 * i + 2);
    assert.ok(theta >= 0 && theta <= Math.PI && phi >= -Math.PI && phi <= Math.PI);
    assert.ok(Math.abs(z - r * Math.cos(theta)) < 1e-9);
    assert.ok(Math.abs(Math.atan2(y, x) - phi) < 1e-9 || Math.sin(theta) < 1e-9);
    if (data.labels[i] === 1) zSum += z / 10;
  }
  // Uniform on the sphere: the mean of cos(theta) is 0 (sd of the mean ~ 0.013 for 2000 draws).
  assert.ok(Math.abs(zSum / 2000) < 0.06);
});

test('spheres geodesic: great-circle distance r * angle', () => {
  const north = [0, 0];
  const equator = [Math.PI / 2, 1.3];
  assert.ok(Math.abs(spheres.geodesic(north, equator, 1) - 10 * Math.PI / 2) < 1e-9);
  assert.ok(Math.abs(spheres.geodesic(north, equator, 0) - 20 * Math.PI / 2) < 1e-9);
  assert.ok(Math.abs(spheres.geodesic([Math.PI / 2, 0], [Math.PI / 2, Math.PI], 1) - 10 * Math.PI) < 1e-9);
  assert.equal(spheres.geodesic([1, 2], [1, 2], 1), 0);
  assert.equal(spheres.geodesic([0.4, 2], [2, -1], 1), spheres.geodesic([2, -1], [0.4, 2], 1));
  // Chord 2 r sin(angle / 2) from the geodesic matches the straight-line distance.
  const a = spheres.embed(1, [0.4, 2]);
  const b = spheres.embed(1, [2, -1]);
  const angle = spheres.geodesic([0.4, 2], [2, -1], 1) / 10;
  assert.ok(Math.abs(2 * 10 * Math.sin(angle / 2) - Math.hypot(a[0] - b[0], a[1] - b[1], a[2] - b[2])) < 1e-9);
});
