import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import type { AddressInfo, Socket } from 'node:net';
import { probeCacheServer } from './probe.ts';
import { READ_TOKEN, WRITE_TOKEN, withCacheServer } from './test-harness.ts';

test('probe: ok for either token, refused for a wrong or missing one, unreachable once closed', async () => {
  await withCacheServer(async (server) => {
    assert.deepEqual(await probeCacheServer(server.url, WRITE_TOKEN), { ok: true });
    assert.deepEqual(await probeCacheServer(server.url + '/', READ_TOKEN), { ok: true });
    assert.deepEqual(await probeCacheServer(server.url, 'wrong-token-0123456789'), { ok: false, reason: `cache server ${server.url} refused the token (401)` });
    assert.deepEqual(await probeCacheServer(server.url, undefined), { ok: false, reason: `cache server ${server.url} refused the token (401)` });
    await server.close();
    assert.deepEqual(await probeCacheServer(server.url, WRITE_TOKEN), { ok: false, reason: `cache server ${server.url} unreachable (ECONNREFUSED)` });
  });
});

test('probe: a server that accepts but never answers times out; a bad address is named', async () => {
  const sockets: Socket[] = [];
  const silent = createServer((socket) => void sockets.push(socket));
  await new Promise<void>((ok) => silent.listen(0, '127.0.0.1', ok));
  const url = `http://127.0.0.1:${(silent.address() as AddressInfo).port}`;
  try {
    assert.deepEqual(await probeCacheServer(url, WRITE_TOKEN, 200), { ok: false, reason: `cache server ${url} unresponsive (no answer within 200 ms)` });
  } finally {
    for (const socket of sockets) socket.destroy();
    silent.close();
  }
  assert.deepEqual(await probeCacheServer('not a url', WRITE_TOKEN), { ok: false, reason: 'cache server address "not a url" is not an http(s) URL' });
});
