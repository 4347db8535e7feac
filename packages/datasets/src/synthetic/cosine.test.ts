import { test } from 'node:test';
import assert from 'node:assert/strict';
import { generateSynthetic } from './generate.ts';
import { cosine, cosineArcLength } from './cosine.ts';

test('cosine: points on y = cos x +/- 0.2, x in [-2 pi, 2 pi]', () => {
  const data = generateSynthetic('cosine', 200, 5);
  assert.equal(data.dim, 2);
  for (let i = 0; i < data.count; i++) {
    const [x, y] = data.x.subarray(2 * i, 2 * i + 2);
    assert.equal(data.coord[i], x);
    assert.ok(Math.abs(x) <= 2 * Math.PI);
    assert.ok(Math.abs(y - (Math.cos(x) + (data.labels[i] === 1 ? 0.2 : -0.2))) < 1e-12);
  }
});

test('cosine geodesic: arc length of the curve', () => {
  // Half a period of a sinusoid: 2 sqrt(2) E(1/sqrt 2) = 3.8201977890...; check against a fine trapezoid too.
  assert.ok(Math.abs(cosineArcLength(0, Math.PI) - 3.820197789027712) < 1e-10);
  const n = 200000;
  let trap = 0;
  for (let i = 0; i <= n; i++) {
    const t = -1 + (3.5 * i) / n;
    trap += (i === 0 || i === n ? 0.5 : 1) * Math.sqrt(1 + Math.sin(t) ** 2);
  }
  assert.ok(Math.abs(cosine.geodesic([-1], [2.5], 1) - (trap * 3.5) / n) < 1e-8);
  assert.equal(cosine.geodesic([0.7], [0.7], 1), 0);
  assert.equal(cosine.geodesic([-3], [4], 1), cosine.geodesic([4], [-3], 1));
  // Additive along the curve, and never below the chord.
  assert.ok(Math.abs(cosineArcLength(-3, 1) + cosineArcLength(1, 4) - cosineArcLength(-3, 4)) < 1e-10);
  assert.ok(cosineArcLength(0, 1) > Math.hypot(1, Math.cos(1) - 1));
});
