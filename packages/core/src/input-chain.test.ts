import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { runStage } from './stage.ts';
import { writeMatrixFile } from './arrow/matrix.ts';
import { ElasticityError } from './errors.ts';
import { withTempDir } from './testing/temp-dir.ts';

test('a stage refuses an input made from another version of a file it also reads', async () => {
  await withTempDir('chain-', async (dir) => {
    const source = join(dir, 'source.arrow');
    const derived = join(dir, 'derived.arrow');
    const m = { kind: 'ntk', rowIds: Int32Array.from([1]), columnIds: Int32Array.from([1]), values: Float64Array.from([1]) };
    await writeMatrixFile(source, m, { stage: 'a', params: {}, seed: null, inputs: {} });
    // The derived file is written by a stage that read `source`.
    await runStage({ stage: 'b', outDir: join(dir, 'b'), params: {}, seed: null, inputFiles: [source] }, async (ctx) => {
      await writeMatrixFile(derived, m, ctx.meta);
    });
    const reading = { stage: 'c', outDir: join(dir, 'c'), params: {}, seed: null, inputFiles: [source, derived] };
    await runStage(reading, async () => undefined); // consistent: fine

    await writeMatrixFile(source, { ...m, values: Float64Array.from([2]) }, { stage: 'a', params: {}, seed: null, inputs: {} });
    await assert.rejects(runStage(reading, async () => assert.fail('must not run')), (e: unknown) =>
      e instanceof ElasticityError && e.field === 'metadata.inputs' && e.message.includes(relative(process.cwd(), derived)) && /another version of .*source\.arrow/.test(e.message));
  });
});

test('inputs that record nothing about each other pass', async () => {
  await withTempDir('chain-', async (dir) => {
    const raw = join(dir, 'raw.bin');
    await writeFile(raw, 'x');
    await runStage({ stage: 'd', outDir: join(dir, 'd'), params: {}, seed: null, inputFiles: [raw] }, async () => undefined);
  });
});
