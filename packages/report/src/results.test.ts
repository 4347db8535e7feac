import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ElasticityError } from '@elasticity/core';
import { withTempDir } from '@elasticity/core/testing';
import { readClusterMetrics } from './results.ts';

/** Runs `work` on a metrics.json holding `text`, in a temp folder removed afterwards. */
function withFile<T>(text: string, work: (file: string) => Promise<T>): Promise<T> {
  return withTempDir('report-', async (dir) => {
    const file = join(dir, 'metrics.json');
    await writeFile(file, text);
    return work(file);
  });
}

test('metrics.json with a malformed summary is named down to the field', async () => {
  await withFile(JSON.stringify({ k: 2, seeds: 1, results: [{ input: 'raw', method: 'kmeans', accuracy: { mean: 1, sd: 0, values: [1] }, ari: { mean: 'x' }, nmi: { mean: 1, sd: 0, values: [1] } }] }), async (file) => {
    await assert.rejects(readClusterMetrics(file), (e: unknown) => e instanceof ElasticityError && e.field === 'results[0].ari' && e.message.includes(file));
  });
});

test('broken JSON and a missing file are clear errors', async () => {
  await withFile('{ not json', async (file) => {
    await assert.rejects(readClusterMetrics(file), (e: unknown) => e instanceof ElasticityError && e.message.includes(file));
    await assert.rejects(readClusterMetrics(file + '.gone'), /file not found/);
  });
});

test('a well-formed file reads back', async () => {
  const r = { input: 'ntk', method: 'kernel-kmeans', accuracy: { mean: 0.8, sd: 0, values: [0.8] }, ari: { mean: 0.3, sd: 0, values: [0.3] }, nmi: { mean: 0.2, sd: 0, values: [0.2] } };
  const m = await withFile(JSON.stringify({ k: 2, seeds: 1, results: [r] }), readClusterMetrics);
  assert.deepEqual(m.results[0], r);
});
