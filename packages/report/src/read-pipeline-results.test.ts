import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ElasticityError } from '@elasticity/core';
import { withTempDir } from '@elasticity/core/testing';
import { readPipelineResults } from './read-pipeline-results.ts';
import { fakePipelineResults } from './test-fixtures.ts';

test('results.json: read back as written; missing, not JSON or not a results file is one error naming the file and field', async () => {
  await withTempDir('read-results-', async (dir) => {
    const good = fakePipelineResults({ pipeline: 'p', dataset: 'mnist 5v8', results: [['raw', 'kmeans', [0.5, 0.7]]] });
    const file = join(dir, 'results.json');
    await writeFile(file, JSON.stringify(good));
    assert.deepEqual(await readPipelineResults(file), good);

    const fails = async (body: string | undefined, field: string | undefined, message: RegExp) => {
      const f = join(dir, `bad-${Math.abs(body?.length ?? 0)}-${field}.json`);
      if (body !== undefined) await writeFile(f, body);
      await assert.rejects(readPipelineResults(f), (e: unknown) => e instanceof ElasticityError && e.file === f && e.field === field && message.test(e.message) && e.message.includes(f));
    };
    await fails(undefined, undefined, /file not found/);
    await fails('{"pipeline": ', undefined, /not valid JSON/);
    await fails(JSON.stringify({ pipeline: 'p', results: [] }), 'pipeline', /needs pipeline, dataset, results/);
    await fails(JSON.stringify({ ...good, dataset: { examples: 3 } }), 'dataset.name', /string/);
    await fails(JSON.stringify({ ...good, results: [good.results[0], { input: 'pca', method: 'kmeans', accuracy: { mean: 0.5 } }] }), 'results[1].accuracy', /mean, sd, values/);
    await fails(JSON.stringify({ ...good, results: [{ ...good.results[0], method: 3 }] }), 'results[0]', /input.*method/);
  });
});
