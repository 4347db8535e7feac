import { test } from 'node:test';
import assert from 'node:assert/strict';
import { generateSynthetic } from './generate.ts';
import { cycles, CYCLE_R } from './cycles.ts';

test('cycles: two linked circles of radius R', () => {
  const data = generateSynthetic('cycles', 300, 9);
  const R = CYCLE_R;
  for (let i = 0; i < data.count; i++) {
    const t = data.coord[i];
    assert.ok(t >= -Math.PI && t <= Math.PI);
    const [x, y, z] = data.x.subarray(3 * i, 3 * i + 3);
    if (data.labels[i] === 1) {
      assert.ok(Math.abs(Math.hypot(x, y) - R) < 1e-9 && z === 0);
      assert.ok(Math.abs(Math.atan2(y, x) - t) < 1e-9);
    } else {
      assert.ok(Math.abs(Math.hypot(x - R, z) - R) < 1e-9 && y === 0);
      assert.ok(Math.abs(Math.atan2(z, x - R) - t) < 1e-9);
    }
  }
});

test('cycles geodesic: R * circular |dt|', () => {
  assert.ok(Math.abs(cycles.geodesic([0], [Math.PI / 2], 1) - CYCLE_R * Math.PI / 2) < 1e-12);
  assert.ok(Math.abs(cycles.geodesic([3], [-3], 1) - CYCLE_R * (2 * Math.PI - 6)) < 1e-12);
  assert.equal(cycles.geodesic([1], [1], 1), 0);
  assert.equal(cycles.geodesic([1], [-2], 1), cycles.geodesic([-2], [1], 1));
});
