import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRng, permutation } from './rng.ts';

test('same seed gives the same sequence; another seed another', () => {
  const a = createRng(5), b = createRng(5), c = createRng(6);
  const sa = Array.from({ length: 20 }, () => a.next());
  const sb = Array.from({ length: 20 }, () => b.next());
  const sc = Array.from({ length: 20 }, () => c.next());
  assert.deepEqual(sa, sb);
  assert.notDeepEqual(sa, sc);
});

test('uniform draws stay in range with the right mean and variance', () => {
  const rng = createRng(1);
  const n = 200_000;
  let sum = 0, sumSq = 0;
  for (let i = 0; i < n; i++) {
    const v = rng.uniform(-2, 4);
    assert.ok(v >= -2 && v < 4);
    sum += v;
    sumSq += v * v;
  }
  const mean = sum / n, variance = sumSq / n - mean * mean;
  // U(-2, 4): mean 1, variance 36/12 = 3; standard errors ~0.004 and ~0.01.
  assert.ok(Math.abs(mean - 1) < 0.02, `mean ${mean}`);
  assert.ok(Math.abs(variance - 3) < 0.05, `variance ${variance}`);
});

test('normal draws have mean 0 and variance 1', () => {
  const rng = createRng(2);
  const n = 100_000;
  let sum = 0, sumSq = 0;
  for (let i = 0; i < n; i++) {
    const v = rng.normal();
    sum += v;
    sumSq += v * v;
  }
  assert.ok(Math.abs(sum / n) < 0.02);
  assert.ok(Math.abs(sumSq / n - 1) < 0.03);
});

test('permutation holds every index once and int covers its closed range', () => {
  const p = permutation(1000, createRng(3));
  assert.deepEqual(Array.from(p).sort((x, y) => x - y), Array.from({ length: 1000 }, (_, i) => i));
  assert.notDeepEqual(Array.from(p.subarray(0, 10)), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  const rng = createRng(4);
  const seen = new Set<number>();
  for (let i = 0; i < 500; i++) seen.add(rng.int(2, 5));
  assert.deepEqual([...seen].sort(), [2, 3, 4, 5]);
});
