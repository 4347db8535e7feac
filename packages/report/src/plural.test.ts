import { test } from 'node:test';
import assert from 'node:assert/strict';
import { joinAnd, plural } from './plural.ts';

test('plural: one is singular, every other count plural (0 included), irregular forms on request', () => {
  assert.equal(plural(1, 'seed'), '1 seed');
  assert.equal(plural(5, 'seed'), '5 seeds');
  assert.equal(plural(0, 'pair'), '0 pairs');
  assert.equal(plural(2, 'matrix', 'matrices'), '2 matrices');
  assert.equal(plural(1, 'matrix', 'matrices'), '1 matrix');
});

test('joinAnd: commas, and before the last', () => {
  assert.equal(joinAnd([]), '');
  assert.equal(joinAnd(['a']), 'a');
  assert.equal(joinAnd(['a', 'b']), 'a and b');
  assert.equal(joinAnd(['a', 'b', 'c']), 'a, b and c');
});
