import { test } from 'node:test';
import assert from 'node:assert/strict';
import { generateSynthetic } from './generate.ts';
import { foldedBoxes, boxGeometry } from './folded-boxes.ts';

const K = 1.2;
const close = (a: number, b: number, tol = 1e-9) => Math.abs(a - b) < tol;

test('folded boxes: points lie on the folds y = -/+ (k|x| - bias -/+ delta), x and z in range', () => {
  const data = generateSynthetic('folded-boxes', 500, 11);
  const seen = { upper: 0, lower: 0 };
  for (let i = 0; i < data.count; i++) {
    const label = data.labels[i];
    const [x, y, z] = data.x.subarray(3 * i, 3 * i + 3);
    const delta = label === 1 ? 1 : -1; // class 1 outside (+delta on the upper fold), class 0 inside
    const xmax = 10 + delta / K; // method.md: x in [-10 -/+ 1/k, 10 +/- 1/k]
    assert.ok(Math.abs(x) <= xmax + 1e-9);
    assert.ok(z >= -1 && z <= 1);
    const upper = close(y, -K * Math.abs(x) + 12 + delta);
    const lower = close(y, K * Math.abs(x) - 12 - delta);
    assert.ok(upper || lower, `row ${i} (${x}, ${y}) is on neither fold`);
    seen[upper ? 'upper' : 'lower']++;
    const [s, zc] = data.coord.subarray(2 * i, 2 * i + 2);
    assert.ok(s >= 0 && s < boxGeometry(label as 0 | 1).perimeter);
    assert.equal(zc, z);
  }
  assert.ok(seen.upper > 300 && seen.lower > 300, 'both folds are sampled');
  // A draw shares its fraction of the loop and z.
  for (let i = 0; i < data.count; i += 2) {
    assert.ok(close(data.coord[2 * i] / boxGeometry(1).perimeter, data.coord[2 * i + 2] / boxGeometry(0).perimeter));
    assert.equal(data.coord[2 * i + 1], data.coord[2 * i + 3]);
  }
});

test('folded boxes geodesic: along the unrolled tube, joined at the ends', () => {
  const g = boxGeometry(1);
  assert.ok(close(g.X, 10 + 1 / K) && close(g.a, 13));
  // Corner (X, 0) to apex (0, a) on the same face: the straight edge.
  const corner = foldedBoxes.embed(1, [0, 0]);
  const apex = foldedBoxes.embed(1, [g.edge, 0]);
  assert.ok(close(corner[0], g.X) && close(corner[1], 0) && close(apex[0], 0) && close(apex[1], 13));
  assert.ok(close(foldedBoxes.geodesic([0, 0], [g.edge, 0], 1), Math.hypot(g.X, 13)));
  // Across the join at s = 0 = L, and with a z difference (3-4-5 triangle).
  assert.ok(close(foldedBoxes.geodesic([0.1, 0], [g.perimeter - 0.2, 0], 1), 0.3));
  assert.ok(close(foldedBoxes.geodesic([1, -1], [4, 3], 1), 5));
  assert.equal(foldedBoxes.geodesic([5, 0.2], [5, 0.2], 1), 0);
  // Never shorter than the straight line between the embedded points; symmetric.
  const data = generateSynthetic('folded-boxes', 40, 2);
  for (let i = 0; i < data.count; i += 2) {
    for (let j = 0; j < data.count; j += 2) {
      const a = data.coord.subarray(2 * i, 2 * i + 2);
      const b = data.coord.subarray(2 * j, 2 * j + 2);
      const d = foldedBoxes.geodesic(a, b, 1);
      const pa = data.x.subarray(3 * i, 3 * i + 3);
      const pb = data.x.subarray(3 * j, 3 * j + 3);
      assert.ok(d >= Math.hypot(pa[0] - pb[0], pa[1] - pb[1], pa[2] - pb[2]) - 1e-9);
      assert.equal(d, foldedBoxes.geodesic(b, a, 1));
    }
  }
});
