import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdir, rm, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { withTempDir } from '@elasticity/core/testing';
import { DiskStore } from './disk-store.ts';
import { BodyLengthError, BodyTooLargeError } from './cache-store.ts';
import { sha256 } from './test-harness.ts';

const chunks = (...parts: string[]) => Readable.from(parts.map((p) => Buffer.from(p)));

test('put streams an entry and its checksum; get checks it; a second put is refused', async () => {
  await withTempDir('disk-store-test-', async (dir) => {
    const store = await DiskStore.open(dir);
    const result = await store.put('123', chunks('hello ', 'world'), { maxBytes: 100, expectedBytes: 11 });
    assert.deepEqual(result, { status: 'stored', size: 11, sha256: sha256(Buffer.from('hello world')) });
    assert.equal(await store.has('123'), true);
    const entry = await store.get('123');
    assert.equal(entry.status, 'found');
    if (entry.status === 'found') assert.equal(Buffer.concat(await entry.body.toArray()).toString(), 'hello world');
    assert.deepEqual(await store.put('123', chunks('other'), { maxBytes: 100 }), { status: 'exists' });
    assert.deepEqual(await store.get('9'), { status: 'missing' });
  });
});

test('over the cap or not the declared length: refused, nothing left behind', async () => {
  await withTempDir('disk-store-test-', async (dir) => {
    const store = await DiskStore.open(dir);
    await assert.rejects(store.put('1', chunks('12345', '67890'), { maxBytes: 7 }), BodyTooLargeError);
    await assert.rejects(store.put('2', chunks('12345'), { maxBytes: 100, expectedBytes: 9 }), BodyLengthError);
    await assert.rejects(store.put('3', Readable.from((async function* () { yield Buffer.from('abc'); throw new Error('socket reset'); })()), { maxBytes: 100 }), /socket reset/);
    assert.deepEqual(await readdir(dir), []);
  });
});

test('anything but an Nx hash is refused by the store itself', async () => {
  await withTempDir('disk-store-test-', async (dir) => {
    const store = await DiskStore.open(join(dir, 'store'));
    for (const name of ['../escape', '/etc/passwd', '1/2', '', '12.sha256', '.1.upload-ab']) {
      await assert.rejects(store.put(name, chunks('x'), { maxBytes: 10 }), /not an Nx hash/, name);
      await assert.rejects(store.get(name), /not an Nx hash/, name);
    }
    assert.deepEqual(await readdir(dir), ['store']);
  });
});

test('open removes leftovers of killed uploads and keeps complete entries', async () => {
  await withTempDir('disk-store-test-', async (dir) => {
    await (await DiskStore.open(dir)).put('77', chunks('kept'), { maxBytes: 100 });
    await writeFile(join(dir, '.55.upload-0a1b2c'), 'half an upload');
    await writeFile(join(dir, '.66.sha256.upload-0a1b2c'), 'half a checksum');
    await writeFile(join(dir, '88'), 'entry whose checksum never got written');
    await writeFile(join(dir, '99.sha256'), 'checksum without its entry');
    await writeFile(join(dir, 'README'), 'not ours: left alone');
    const logs: string[] = [];
    const store = await DiskStore.open(dir, (line) => logs.push(line));
    assert.deepEqual((await readdir(dir)).sort(), ['77', '77.sha256', 'README']);
    assert.deepEqual(logs, ['removed 4 leftover(s) of interrupted uploads: .55.upload-0a1b2c, .66.sha256.upload-0a1b2c, 88, 99.sha256']);
    assert.equal((await store.get('77')).status, 'found');
  });
});

test('an entry replaced by a symbolic link is not followed', async () => {
  await withTempDir('disk-store-test-', async (dir) => {
    const store = await DiskStore.open(join(dir, 'store'));
    await store.put('5', chunks('entry'), { maxBytes: 100 });
    await writeFile(join(dir, 'secret'), 'entry');
    await rm(join(dir, 'store', '5'));
    await symlink(join(dir, 'secret'), join(dir, 'store', '5'));
    assert.deepEqual(await store.get('5'), { status: 'corrupt', reason: 'entry is a symbolic link' });
  });
});
