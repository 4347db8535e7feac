import { test } from 'node:test';
import assert from 'node:assert/strict';
import { generateSynthetic } from './generate.ts';
import { helix, HELIX_R, HELIX_RISE } from './helix.ts';

test('helix: two strands of radius R turned by pi, rising c per radian', () => {
  const data = generateSynthetic('helix', 200, 8);
  for (let i = 0; i < data.count; i++) {
    const t = data.coord[i];
    assert.ok(t >= 0 && t <= 4 * Math.PI);
    const [x, y, z] = data.x.subarray(3 * i, 3 * i + 3);
    assert.ok(Math.abs(Math.hypot(x, y) - HELIX_R) < 1e-9);
    assert.ok(Math.abs(z - HELIX_RISE * t) < 1e-12);
    const angle = data.labels[i] === 1 ? t : t + Math.PI;
    assert.ok(Math.abs(x - HELIX_R * Math.cos(angle)) < 1e-9 && Math.abs(y - HELIX_R * Math.sin(angle)) < 1e-9);
  }
});

test('helix geodesic: arc length sqrt(R^2 + c^2) |dt|', () => {
  // One full turn: the hypotenuse of the unrolled cylinder, 2 pi R around and 2 pi c up.
  assert.ok(Math.abs(helix.geodesic([1], [1 + 2 * Math.PI], 1) - Math.hypot(2 * Math.PI * HELIX_R, 2 * Math.PI * HELIX_RISE)) < 1e-9);
  assert.equal(helix.geodesic([2], [2], 1), 0);
  assert.equal(helix.geodesic([2], [5], 1), helix.geodesic([5], [2], 1));
  // Never below the chord between the embedded points.
  const a = helix.embed(1, [0.5]);
  const b = helix.embed(1, [3]);
  assert.ok(helix.geodesic([0.5], [3], 1) > Math.hypot(a[0] - b[0], a[1] - b[1], a[2] - b[2]));
});
