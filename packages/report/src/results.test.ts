import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ElasticityError } from '@elasticity/core';
import { readClusterMetrics } from './results.ts';

async function fileWith(text: string): Promise<string> {
  const file = join(await mkdtemp(join(tmpdir(), 'report-')), 'metrics.json');
  await writeFile(file, text);
  return file;
}

test('metrics.json with a malformed summary is named down to the field', async () => {
  const file = await fileWith(JSON.stringify({ k: 2, seeds: 1, results: [{ input: 'raw', method: 'kmeans', accuracy: { mean: 1, sd: 0, values: [1] }, ari: { mean: 'x' }, nmi: { mean: 1, sd: 0, values: [1] } }] }));
  await assert.rejects(readClusterMetrics(file), (e: unknown) => e instanceof ElasticityError && e.field === 'results[0].ari' && e.message.includes(file));
});

test('broken JSON and a missing file are clear errors', async () => {
  const file = await fileWith('{ not json');
  await assert.rejects(readClusterMetrics(file), (e: unknown) => e instanceof ElasticityError && e.message.includes(file));
  await assert.rejects(readClusterMetrics(file + '.gone'), /file not found/);
});

test('a well-formed file reads back', async () => {
  const r = { input: 'ntk', method: 'kernel-kmeans', accuracy: { mean: 0.8, sd: 0, values: [0.8] }, ari: { mean: 0.3, sd: 0, values: [0.3] }, nmi: { mean: 0.2, sd: 0, values: [0.2] } };
  const m = await readClusterMetrics(await fileWith(JSON.stringify({ k: 2, seeds: 1, results: [r] })));
  assert.deepEqual(m.results[0], r);
});
