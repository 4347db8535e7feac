import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { withTempDir } from '@elasticity/core/testing';
import { runReport } from './report-stage.ts';
import { writeCircleRun } from './test-fixtures.ts';

test('runReport writes the run\'s effective pipeline sections into results.json as params, and nothing when not given', async () => {
  await withTempDir('report-params-', async (dir) => {
    const run = await writeCircleRun(dir, [0, 0.5, 1.5, 2.5, 4]);
    const params = { dataset: { source: 'synthetic', points: 5 }, train: { epochs: 3, lr: 1e-5 }, report: { bins: 2 } };
    const r = await runReport({ config: { bins: 2 }, pipelineFile: 'p.json', pipelineName: 'p', ...run, outDir: join(dir, 'report'), params });
    assert.deepEqual(r.params, params);
    assert.deepEqual(JSON.parse(await readFile(join(dir, 'report', 'results.json'), 'utf8')).params, params);
    const without = await runReport({ config: { bins: 2 }, pipelineFile: 'p.json', pipelineName: 'p', ...run, outDir: join(dir, 'report2') });
    assert.equal('params' in without, false);
    assert.equal('params' in JSON.parse(await readFile(join(dir, 'report2', 'results.json'), 'utf8')), false);
  });
});
