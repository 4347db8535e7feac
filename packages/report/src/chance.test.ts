import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chanceAccuracy, majorityFraction } from './chance.ts';

/** P(Bin(n, 1/2) = r) for r = 0..n. */
function fairBinomial(n: number): number[] {
  const p = [Math.pow(0.5, n)];
  for (let r = 1; r <= n; r++) p.push((p[r - 1] * (n - r + 1)) / r);
  return p;
}

/**
 * Exact mean and sd of the matched accuracy of a fair coin labelling of two
 * classes of sizes a and b: with X ~ Bin(a, 1/2) and Y ~ Bin(b, 1/2) of each
 * class in cluster 1, the two matchings score X + b - Y and a - X + Y, and the
 * better one is (N + |2X - 2Y + b - a|) / 2.
 */
function exactTwoClasses(a: number, b: number): { mean: number; sd: number } {
  const n = a + b;
  const [pa, pb] = [fairBinomial(a), fairBinomial(b)];
  let m1 = 0, m2 = 0;
  for (let x = 0; x <= a; x++) {
    for (let y = 0; y <= b; y++) {
      const p = pa[x] * pb[y];
      const acc = (n + Math.abs(2 * x - 2 * y + b - a)) / (2 * n);
      m1 += p * acc;
      m2 += p * acc * acc;
    }
  }
  return { mean: m1, sd: Math.sqrt(m2 - m1 * m1) };
}

/** Exact mean by enumerating every labelling of classes [2, 2, 2] into 3 clusters and every matching. */
function exactThreeByThree(): number {
  const classes = [0, 0, 1, 1, 2, 2];
  const perms = [[0, 1, 2], [0, 2, 1], [1, 0, 2], [1, 2, 0], [2, 0, 1], [2, 1, 0]];
  let total = 0;
  for (let code = 0; code < 3 ** 6; code++) {
    const labels = classes.map((_, i) => Math.floor(code / 3 ** i) % 3);
    total += Math.max(...perms.map((p) => labels.filter((l, i) => p[classes[i]] === l).length)) / 6;
  }
  return total / 3 ** 6;
}

test('chance accuracy of 2 balanced classes of 500 is the exact binomial value (about 0.513), not 1/k', () => {
  const exact = exactTwoClasses(500, 500);
  assert.ok(Math.abs(exact.mean - 0.5126) < 5e-4, `exact ${exact.mean}`);
  const trials = 2000;
  const simulated = chanceAccuracy([500, 500], { trials });
  assert.ok(Math.abs(simulated - exact.mean) < 4 * exact.sd / Math.sqrt(trials), `simulated ${simulated}, exact ${exact.mean} ± ${exact.sd}`);
});

test('unbalanced classes: the simulation agrees with the exact value', () => {
  const exact = exactTwoClasses(30, 12);
  const simulated = chanceAccuracy([30, 12], { trials: 20_000, seed: 3 });
  assert.ok(Math.abs(simulated - exact.mean) < 4 * exact.sd / Math.sqrt(20_000), `simulated ${simulated}, exact ${exact.mean}`);
});

test('three classes of 2: the simulation agrees with the enumeration of all 729 labellings', () => {
  const exact = exactThreeByThree();
  const simulated = chanceAccuracy([2, 2, 2], { trials: 40_000, seed: 1 });
  // Accuracy is in [1/3, 1], so its sd is below 1/3.
  assert.ok(Math.abs(simulated - exact) < 4 * (1 / 3) / Math.sqrt(40_000), `simulated ${simulated}, exact ${exact}`);
});

test('one cluster matches the largest class: accuracy is the majority fraction exactly; one class is always right', () => {
  assert.equal(chanceAccuracy([30, 12], { k: 1, trials: 5 }), 30 / 42);
  assert.equal(majorityFraction([30, 12]), 30 / 42);
  assert.equal(chanceAccuracy([7], { trials: 5 }), 1);
});

test('chance accuracy: seeded and repeatable; bad sizes are refused', () => {
  assert.equal(chanceAccuracy([40, 40], { trials: 50, seed: 9 }), chanceAccuracy([40, 40], { trials: 50, seed: 9 }));
  assert.throws(() => chanceAccuracy([]), /class sizes/);
  assert.throws(() => chanceAccuracy([3, 0]), /class sizes/);
  assert.throws(() => chanceAccuracy([3, 3], { k: 0 }), /k must be/);
});
