import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, readdir, writeFile, mkdir } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic, writeFilesAtomic } from './atomic.ts';
import { withStagingDir } from './staging.ts';
import { withTempDir } from '../testing/temp-dir.ts';

test('writeFileAtomic writes the bytes and leaves no temp file', async () => {
  await withTempDir('atomic-', async (dir) => {
    const file = join(dir, 'sub', 'out.txt');
    await writeFileAtomic(file, 'hello');
    await writeFileAtomic(file, 'world');
    assert.equal(await readFile(file, 'utf8'), 'world');
    assert.deepEqual(await readdir(join(dir, 'sub')), ['out.txt']);
  });
});

test('writeFilesAtomic publishes all files and no temp folder', async () => {
  await withTempDir('atomic-', async (dir) => {
    await writeFilesAtomic(join(dir, 'model'), { 'a.json': '{}', 'b.bin': new Uint8Array([1, 2, 3]) });
    assert.deepEqual((await readdir(join(dir, 'model'))).sort(), ['a.json', 'b.bin']);
    assert.deepEqual(Array.from(await readFile(join(dir, 'model', 'b.bin'))), [1, 2, 3]);
  });
});

test('withStagingDir publishes on success and replaces earlier output', async () => {
  await withTempDir('staging-', async (root) => {
    const out = join(root, 'stage');
    await mkdir(out);
    await writeFile(join(out, 'stale.txt'), 'old');
    const result = await withStagingDir(out, async (dir) => {
      assert.notEqual(dir, out);
      await writeFile(join(dir, 'new.txt'), 'new');
      assert.equal(existsSync(join(out, 'new.txt')), false, 'nothing visible before success');
      return 42;
    });
    assert.equal(result, 42);
    assert.deepEqual(await readdir(out), ['new.txt']);
    assert.deepEqual(await readdir(root), ['stage']);
  });
});

test('withStagingDir leaves no partial output when the work fails', async () => {
  await withTempDir('staging-', async (root) => {
    const out = join(root, 'stage');
    await assert.rejects(
      withStagingDir(out, async (dir) => {
        await writeFile(join(dir, 'half.txt'), 'half');
        throw new Error('boom');
      }),
      /boom/,
    );
    assert.equal(existsSync(out), false);
    assert.deepEqual(await readdir(root), []);
  });
});

test('staging folders of killed runs are removed by the next run; live ones are kept', async () => {
  await withTempDir('staging-', async (root) => {
    const dead = '.stage.tmp-999999999-abcd1234';
    const live = `.stage.tmp-${process.pid}-abcd1234`;
    const other = '.other.tmp-999999999-abcd1234';
    for (const name of [dead, live, other]) await mkdir(join(root, name));
    await withStagingDir(join(root, 'stage'), async () => undefined);
    assert.deepEqual((await readdir(root)).sort(), [live, other, 'stage'].sort());
  });
});

test('withStagingDir removes the parent folders it created when the work fails, and no folder that was there before', async () => {
  await withTempDir('staging-', async (root) => {
    await mkdir(join(root, 'data'));
    const fail = (out: string) => assert.rejects(withStagingDir(out, async () => {
      throw new Error('boom');
    }), /boom/);
    await fail(join(root, 'data', 'run', 'nested', 'ingest'));
    assert.deepEqual(await readdir(root), ['data'], 'data/ existed before: kept');
    assert.deepEqual(await readdir(join(root, 'data')), [], 'data/run/nested/ was made by the failed call: gone');
    await mkdir(join(root, 'data', 'run'));
    await writeFile(join(root, 'data', 'run', 'other.txt'), 'kept');
    await fail(join(root, 'data', 'run', 'ingest'));
    assert.deepEqual(await readdir(join(root, 'data', 'run')), ['other.txt']);
  });
});
