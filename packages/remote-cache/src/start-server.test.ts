import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { withTempDir } from '@elasticity/core/testing';
import { CacheServerOptionError, startCacheServer } from './start-server.ts';
import { WRITE_TOKEN, withCacheServer } from './test-harness.ts';

const quiet = () => {};

test('starts in well under a second on 127.0.0.1 with a system-chosen port', async () => {
  await withTempDir('start-server-test-', async (dir) => {
    const t0 = performance.now();
    const server = await startCacheServer({ port: 0, dir: join(dir, 'store'), token: WRITE_TOKEN, log: quiet });
    const ms = performance.now() - t0;
    try {
      assert.ok(ms < 1000, `started in ${ms.toFixed(0)} ms`);
      assert.match(server.url, /^http:\/\/127\.0\.0\.1:\d+$/);
    } finally {
      await server.close();
    }
  });
});

test('bad options: one error naming the option', async () => {
  const refused = (option: string, message: RegExp) => (error: unknown) =>
    error instanceof CacheServerOptionError && error.option === option && message.test(error.message);
  await withTempDir('start-server-test-', async (dir) => {
    const start = (o: Partial<Parameters<typeof startCacheServer>[0]>) => startCacheServer({ port: 0, dir: join(dir, 'store'), token: WRITE_TOKEN, log: quiet, ...o });
    await assert.rejects(start({ token: 'short' }), refused('token', /^token: must be at least 16 characters/));
    await assert.rejects(start({ token: 'has a space in it!!' }), refused('token', /printable ASCII without spaces/));
    await assert.rejects(start({ readToken: WRITE_TOKEN }), refused('readToken', /must differ/));
    await assert.rejects(start({ readToken: 'x' }), refused('readToken', /at least 16/));
    await assert.rejects(start({ maxBodyBytes: 0 }), refused('maxBodyBytes', /positive whole number/));
    await assert.rejects(start({ port: 70000 }), refused('port', /0 to 65535/));
    await writeFile(join(dir, 'a-file'), '');
    await assert.rejects(start({ dir: join(dir, 'a-file', 'store') }), refused('dir', /cannot use .*a-file\/store as the cache folder/));
    await withCacheServer(async (server) => {
      await assert.rejects(start({ port: server.port }), refused('port', new RegExp(`127.0.0.1:${server.port} is already in use`)));
    });
  });
});
