import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { withTempDir } from '@elasticity/core/testing';
import { fuzz } from './fuzz.ts';
import { TARGETS } from './targets.ts';

test('1,000 mutated IDX, CIFAR, Arrow and pipeline files: each a valid result or one clear error naming the file', { timeout: 240_000 }, async () => {
  const summary = await fuzz({ count: 1000, seed: 20261127 });
  assert.equal(summary.inputs, 1000);
  assert.deepEqual(summary.failures, []);
  for (const t of TARGETS) {
    const s = summary.perTarget[t.name];
    assert.ok(s.inputs >= 100, t.name);
    // The mutations must actually break inputs: every reader sees mostly errors.
    assert.ok(s.clearErrors > s.inputs / 2, `${t.name}: ${s.clearErrors} clear errors of ${s.inputs}`);
  }
});

test('the seed corpus itself is accepted by every reader (so errors above come from the mutations)', async () => {
  await withTempDir('fuzz-seeds-', async (dir) => {
    for (const t of TARGETS) {
      for (const [k, bytes] of t.seeds.entries()) {
        const file = join(dir, `${t.name}-${k}${t.ext}`);
        await writeFile(file, bytes);
        await t.read(file);
      }
    }
  });
});
