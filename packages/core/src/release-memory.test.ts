import { test } from 'node:test';
import assert from 'node:assert/strict';
import { releaseMemory } from './release-memory.ts';

test('releaseMemory frees unreferenced (shared) array buffers at once', () => {
  const MB = 2 ** 20;
  releaseMemory();
  const before = process.memoryUsage().arrayBuffers;
  // eight finished blocks, referenced by nothing once the function returns
  const finishedBlocks = (): number => {
    const blocks = Array.from({ length: 8 }, () => new Float64Array(new SharedArrayBuffer(32 * MB)).fill(1));
    return blocks.length;
  };
  assert.equal(finishedBlocks(), 8);
  const held = process.memoryUsage().arrayBuffers;
  assert.ok(held - before >= 8 * 32 * MB, `held ${(held - before) / MB} MB (no collection ran yet)`);
  releaseMemory();
  const after = process.memoryUsage().arrayBuffers;
  assert.ok(after - before < 32 * MB, `after release: ${(after - before) / MB} MB more than before`);
});
