import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  READ_TOKEN, WRITE_TOKEN, entryUrl, eventually, get, put, rawHttp, sha256, storedEntries, withCacheServer,
} from './test-harness.ts';

const HASH = '4506399547675013587'; // a hash Nx 23 sent for a one-file task
const body = (n: number, seed = 1) => Uint8Array.from({ length: n }, (_, i) => (i * 31 + seed * 7) % 256);

test('GET 404, PUT 200, GET 200 with the same bytes, second PUT 409 keeps the first entry', async () => {
  await withCacheServer(async (server) => {
    assert.equal((await get(server, HASH)).status, 404);
    const first = body(10_000, 1);
    const stored = await put(server, HASH, first);
    assert.equal(stored.status, 200);
    const back = await get(server, HASH);
    assert.equal(back.status, 200);
    assert.equal(back.type, 'application/octet-stream');
    assert.deepEqual(new Uint8Array(back.body), first);
    // The checksum beside the entry, in sha256sum format.
    assert.equal(await readFile(join(server.dir, `${HASH}.sha256`), 'utf8'), `${sha256(first)}  ${HASH}\n`);
    const again = await put(server, HASH, body(10_000, 2));
    assert.equal(again.status, 409);
    assert.deepEqual(new Uint8Array((await get(server, HASH)).body), first);
    // Exactly the entry and its checksum: no temp file left.
    assert.deepEqual((await readdir(server.dir)).sort(), [HASH, `${HASH}.sha256`]);
  });
});

test('401 (text/plain, as Nx requires) without a valid bearer token; 403 for a write with the read-only token', async () => {
  await withCacheServer(async (server) => {
    await put(server, HASH, body(100));
    const url = entryUrl(server, HASH);
    for (const authorization of [undefined, 'Bearer nope-nope-nope-nope', `Basic ${Buffer.from(`x:${WRITE_TOKEN}`).toString('base64')}`, `Token ${WRITE_TOKEN}`, `Bearer ${WRITE_TOKEN}x`, `Bearer`]) {
      const response = await fetch(url, { headers: authorization === undefined ? {} : { authorization } });
      assert.equal(response.status, 401, String(authorization));
      assert.match(response.headers.get('content-type') ?? '', /^text\/plain/);
      assert.equal(response.headers.get('www-authenticate'), 'Bearer');
      const write = await put(server, '77', body(10), authorization?.replace(/^Bearer /, '') ?? '');
      assert.equal(write.status, 401);
    }
    // The scheme is case-insensitive (RFC 7235).
    assert.equal((await fetch(url, { headers: { authorization: `bearer ${READ_TOKEN}` } })).status, 200);
    assert.equal((await get(server, HASH, READ_TOKEN)).status, 200);
    const refused = await put(server, '78', body(10), READ_TOKEN);
    assert.equal(refused.status, 403);
    assert.match(refused.headers.get('content-type') ?? '', /^text\/plain/);
    assert.deepEqual([...(await storedEntries(server.dir)).keys()], [HASH]);
  });
});

test('body cap: Content-Length over it 413 before reading, at it 200', async () => {
  await withCacheServer(async (server) => {
    assert.equal((await put(server, '1', body(4097))).status, 413);
    assert.equal((await put(server, '2', body(4096))).status, 200);
    // A declared length over the cap is refused at once: the 1 GB body is never sent.
    const huge = await rawHttp(server.port, `PUT /v1/cache/3 HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${WRITE_TOKEN}\r\nContent-Type: application/octet-stream\r\nContent-Length: 1000000000\r\n\r\n`);
    assert.equal(huge.status, 413);
    assert.deepEqual([...(await storedEntries(server.dir)).keys()], ['2']);
  }, { maxBodyBytes: 4096 });
});

test('400 for anything but an Nx hash; 404 off the route; 405, 411, 415', async () => {
  await withCacheServer(async (server) => {
    for (const bad of ['12a', '%2e%2e%2f12', '..%2F..%2Fetc%2Fpasswd', '1'.repeat(21), '%D9%A1%D9%A2', '%EF%BC%91', '-1', '1.5', '0x10', '%2Fetc%2Fpasswd', '12%00', `12.sha256`]) {
      assert.equal((await fetch(`${server.url}/v1/cache/${bad}`, { headers: { authorization: `Bearer ${WRITE_TOKEN}` } })).status, 400, bad);
    }
    const raw = (line: string) => rawHttp(server.port, `${line} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${WRITE_TOKEN}\r\nConnection: close\r\n\r\n`);
    assert.equal((await raw('GET /v1/cache/../../etc/passwd')).status, 404);
    assert.equal((await raw('GET /v1/cache/')).status, 400); // an empty hash
    assert.equal((await raw('GET /v1/cache/12/')).status, 404);
    assert.equal((await raw('GET /etc/passwd')).status, 404);
    assert.equal((await raw('DELETE /v1/cache/12')).status, 405);
    assert.equal((await raw('POST /v1/cache/12')).status, 405);
    const chunked = await rawHttp(server.port, `PUT /v1/cache/12 HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${WRITE_TOKEN}\r\nContent-Type: application/octet-stream\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n`);
    assert.equal(chunked.status, 411);
    const json = await fetch(entryUrl(server, '12'), { method: 'PUT', headers: { authorization: `Bearer ${WRITE_TOKEN}`, 'content-type': 'application/json' }, body: '{}' });
    assert.equal(json.status, 415);
    assert.deepEqual(await readdir(server.dir), []);
  });
});

test('a killed upload leaves no entry and no temp file, and the hash can be stored afterwards', async () => {
  await withCacheServer(async (server) => {
    const head = `PUT /v1/cache/${HASH} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${WRITE_TOKEN}\r\nContent-Type: application/octet-stream\r\nContent-Length: 100000\r\n\r\n`;
    const answer = await rawHttp(server.port, Buffer.concat([Buffer.from(head), Buffer.from(body(60_000))]), { cut: true });
    assert.equal(answer.status, undefined);
    assert.ok(await eventually(() => server.logs.some((l) => l.startsWith(`PUT /v1/cache/${HASH} `))), server.logs.join('\n'));
    assert.ok(await eventually(async () => (await readdir(server.dir)).length === 0), String(await readdir(server.dir)));
    assert.equal((await get(server, HASH)).status, 404);
    assert.equal((await put(server, HASH, body(100_000))).status, 200);
  }, { maxBodyBytes: 1024 * 1024 });
});

test('concurrent PUTs of one hash: exactly one 200, the others 409, the stored bytes are the winner\'s', async () => {
  await withCacheServer(async (server) => {
    const bodies = Array.from({ length: 8 }, (_, i) => body(200_000, i + 1));
    const statuses = await Promise.all(bodies.map((b) => put(server, HASH, b).then((r) => r.status)));
    assert.equal(statuses.filter((s) => s === 200).length, 1, String(statuses));
    assert.equal(statuses.filter((s) => s === 409).length, 7, String(statuses));
    const stored = (await get(server, HASH)).body;
    assert.equal(sha256(stored), sha256(bodies[statuses.indexOf(200)]));
    assert.deepEqual((await readdir(server.dir)).sort(), [HASH, `${HASH}.sha256`]);
  });
});

test('an entry whose bytes no longer match its SHA-256 is never served: 404, a log line, moved aside, then storable again', async () => {
  await withCacheServer(async (server) => {
    const original = body(5000);
    await put(server, HASH, original);
    const flipped = Buffer.from(original);
    flipped[1234] ^= 0x01;
    await writeFile(join(server.dir, HASH), flipped);
    assert.equal((await get(server, HASH)).status, 404);
    assert.ok(server.logs.includes(`corrupt entry ${HASH} not served (moved aside to ${HASH}.corrupt): SHA-256 ${sha256(flipped)} does not match the recorded ${sha256(original)}`), server.logs.join('\n'));
    assert.deepEqual(await readdir(server.dir), [`${HASH}.corrupt`]);
    assert.equal((await get(server, HASH)).status, 404);
    // The next upload of the hash stores good bytes again.
    assert.equal((await put(server, HASH, original)).status, 200);
    assert.deepEqual(new Uint8Array((await get(server, HASH)).body), original);
    // A damaged checksum file counts the same.
    await put(server, '42', original);
    await writeFile(join(server.dir, '42.sha256'), 'not a checksum\n');
    assert.equal((await get(server, '42')).status, 404);
    assert.ok(server.logs.includes('corrupt entry 42 not served (moved aside to 42.corrupt): unreadable checksum file 42.sha256'), server.logs.join('\n'));
    assert.equal(server.logs.filter((l) => l.startsWith('corrupt entry')).length, 2);
  });
});

test('one log line per request: method, path, status, bytes, ms', async () => {
  await withCacheServer(async (server) => {
    await get(server, HASH);
    await put(server, HASH, body(321));
    await get(server, HASH);
    await fetch(entryUrl(server, HASH));
    // A line is written when its response has gone out: a streamed 200 may log after the request that followed it.
    const requests = () => server.logs.filter((l) => /^(GET|PUT) /.test(l));
    assert.ok(await eventually(() => requests().length === 4, 10_000), server.logs.join('\n'));
    const shapes = requests().map((l) => l.replace(/ \d+ ms$/, ' N ms')).sort();
    assert.deepEqual(shapes, [
      `GET /v1/cache/${HASH} 200 321 B N ms`, `GET /v1/cache/${HASH} 401 0 B N ms`, `GET /v1/cache/${HASH} 404 0 B N ms`, `PUT /v1/cache/${HASH} 200 321 B N ms`,
    ]);
  });
});

test('close() stops the server: new connections are refused', async () => {
  await withCacheServer(async (server) => {
    assert.equal((await get(server, HASH)).status, 404); // leaves a keep-alive connection open
    const t0 = performance.now();
    await server.close();
    assert.ok(performance.now() - t0 < 2000, `close took ${performance.now() - t0} ms`);
    await assert.rejects(fetch(entryUrl(server, HASH)), (error: Error & { cause?: { code?: string } }) => error.cause?.code === 'ECONNREFUSED');
  });
});
