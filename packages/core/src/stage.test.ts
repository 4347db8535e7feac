import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { readdir, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { readStageTimings, runStage, stageTimingsFile } from './stage.ts';
import { withTempDir } from './testing/temp-dir.ts';

test('runStage keeps wall-clock facts out of the output folder: in <outDir>.timings.json beside it, removed when a later run fails', async () => {
  await withTempDir('stage-', async (root) => {
    const outDir = join(root, 'train');
    const request = { stage: 'train', outDir, params: {}, seed: 0, inputFiles: [] };
    const before = Date.now();
    await runStage(request, async ({ dir, timings }) => {
      await writeFile(join(dir, 'out.txt'), 'result');
      timings.epochSeconds = [0.5, 0.25];
    });
    assert.equal(stageTimingsFile(outDir), join(root, 'train.timings.json'));
    assert.deepEqual(await readdir(outDir), ['out.txt'], 'the output folder holds only the output');
    const timings = await readStageTimings(outDir);
    assert.equal(timings?.stage, 'train');
    assert.deepEqual(timings?.epochSeconds, [0.5, 0.25]);
    assert.ok(timings!.seconds >= 0 && timings!.seconds < 60);
    const finished = Date.parse(timings!.finished);
    assert.ok(finished >= before - 1000 && finished <= Date.now() + 1000, timings!.finished);

    await assert.rejects(runStage(request, async () => {
      throw new Error('boom');
    }), /boom/);
    assert.equal(existsSync(outDir), false);
    assert.equal(await readStageTimings(outDir), undefined);
    assert.deepEqual(await readdir(root), []);
  });
});

test('runStage says what it reads before it hashes the inputs or runs the work: the first line of every stage', async () => {
  await withTempDir('stage-', async (root) => {
    const input = join(root, 'in.bin');
    await writeFile(input, Buffer.alloc(3 * 2 ** 20));
    const lines: string[] = [];
    const write = process.stderr.write.bind(process.stderr);
    process.stderr.write = ((chunk: string | Uint8Array) => (lines.push(String(chunk)), true)) as typeof process.stderr.write;
    try {
      await runStage({ stage: 'cluster', outDir: join(root, 'cluster'), params: {}, seed: 0, inputFiles: [input, join(root, 'missing.arrow')] }, async ({ log }) => {
        log.info('work');
      }).catch(() => undefined);
    } finally {
      process.stderr.write = write;
    }
    // a missing input counts 0 bytes here; hashing it then fails the stage, and the work never runs
    assert.deepEqual(lines, [`[cluster] 2 input files (3.0 MB) -> ${relative(process.cwd(), join(root, 'cluster'))}\n`]);
  });
});
