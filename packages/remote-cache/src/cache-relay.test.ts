// The relay between Nx and a cache server, against the real server and against fake ones (loopback only).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { createServer as createHttpServer, request as httpRequest } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer as createTcpServer } from 'node:net';
import type { AddressInfo, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { startCacheRelay } from './cache-relay.ts';
import type { CacheRelay, CacheRelayOptions } from './cache-relay.ts';
import { withRemoteCache } from './with-remote-cache.ts';
import { READ_TOKEN, WRITE_TOKEN, entryUrl, eventually, get, put, rawHttp, sha256, storedEntries, withCacheServer } from './test-harness.ts';

const HASH = '4506399547675013587';
const OTHER = '17';
/** An entry as Nx makes them: gzip data. */
const entry = (n: number, seed = 1) => gzipSync(Uint8Array.from({ length: n }, (_, i) => (i * 31 + seed * 7) % 256));

async function withRelay(options: Omit<CacheRelayOptions, 'log'>, fn: (relay: CacheRelay, logs: string[]) => Promise<void>): Promise<string[]> {
  const logs: string[] = [];
  const relay = await startCacheRelay({ ...options, log: (line) => void logs.push(line) });
  try {
    await fn(relay, logs);
  } finally {
    await relay.close();
  }
  return logs;
}

/** A fake cache server: `handle` answers every request; the sockets it saw are counted. */
async function withFakeServer(handle: (req: IncomingMessage, res: ServerResponse) => void, fn: (url: string, connections: () => number) => Promise<void>): Promise<void> {
  const server = createHttpServer(handle);
  let connections = 0;
  server.on('connection', () => void (connections += 1));
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  try {
    await fn(`http://127.0.0.1:${(server.address() as AddressInfo).port}`, () => connections);
  } finally {
    server.closeAllConnections();
    await new Promise((ok) => server.close(ok));
  }
}

/** A TCP server that is not an HTTP server: `onSocket` decides what (if anything) it says. */
async function withRawServer(onSocket: (socket: Socket) => void, fn: (url: string, connections: () => number) => Promise<void>): Promise<void> {
  const sockets: Socket[] = [];
  const server = createTcpServer((socket) => {
    sockets.push(socket);
    socket.on('error', () => {});
    onSocket(socket);
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  try {
    await fn(`http://127.0.0.1:${(server.address() as AddressInfo).port}`, () => sockets.length);
  } finally {
    for (const socket of sockets) socket.destroy();
    await new Promise((ok) => server.close(ok));
  }
}

/** A loopback address where nothing listens (a port the system just handed out and took back). */
async function deadUrl(): Promise<string> {
  const server = createTcpServer();
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const { port } = server.address() as AddressInfo;
  await new Promise((ok) => server.close(ok));
  return `http://127.0.0.1:${port}`;
}

const warning = (url: string, reason: string) => `remote cache ${url} ${reason}: continuing with the local cache only`;

test('relay: the protocol passes through unchanged (404, 200 stored, 409, 200 with the bytes; 403 for the read-only token) and nothing is logged', async () => {
  await withCacheServer(async (server) => {
    const bytes = entry(10_000);
    const logs = await withRelay({ upstream: server.url, token: WRITE_TOKEN }, async (relay) => {
      assert.equal((await get(relay, HASH, relay.token)).status, 404);
      assert.equal((await put(relay, HASH, bytes, relay.token)).status, 200);
      assert.equal((await put(relay, HASH, entry(10_000, 2), relay.token)).status, 409);
      const back = await get(relay, HASH, relay.token);
      assert.equal(back.status, 200);
      assert.equal(back.type, 'application/octet-stream');
      assert.equal(sha256(back.body), sha256(bytes));
      assert.deepEqual(relay.failures(), { reads: 0, writes: 0 });
    });
    assert.deepEqual(logs, []);
    // The read-only token: reads pass, the write's 403 is Nx's quiet "not stored", not a failure.
    const readOnlyLogs = await withRelay({ upstream: server.url, token: READ_TOKEN }, async (relay) => {
      assert.equal((await get(relay, HASH, relay.token)).status, 200);
      assert.equal((await put(relay, OTHER, bytes, relay.token)).status, 403);
      assert.deepEqual(relay.failures(), { reads: 0, writes: 0 });
    });
    assert.deepEqual(readOnlyLogs, []);
    assert.deepEqual([...(await storedEntries(server.dir)).entries()], [[HASH, sha256(bytes)]]);
    // Upstream saw exactly what was relayed.
    assert.deepEqual(server.logs.filter((l) => /^(GET|PUT) /.test(l)).map((l) => l.split(' ').slice(0, 3).join(' ')), [
      `GET /v1/cache/${HASH} 404`, `PUT /v1/cache/${HASH} 200`, `PUT /v1/cache/${HASH} 409`, `GET /v1/cache/${HASH} 200`,
      `GET /v1/cache/${HASH} 200`, `PUT /v1/cache/${OTHER} 403`,
    ]);
  });
});

test('relay: only its own per-run token is accepted (401 text/plain, the real token included); bad hashes 400; other methods 405', async () => {
  await withCacheServer(async (server) => {
    await withRelay({ upstream: server.url, token: WRITE_TOKEN }, async (relay) => {
      assert.match(relay.token, /^[0-9a-f]{64}$/);
      for (const token of [WRITE_TOKEN, 'wrong-token-0123456789']) {
        const refused = await get(relay, HASH, token);
        assert.equal(refused.status, 401);
        assert.match(refused.type ?? '', /^text\/plain/);
        assert.equal((await put(relay, HASH, entry(100), token)).status, 401);
      }
      assert.equal((await get(relay, '../x', relay.token)).status, 404); // normalised by fetch to /v1/x: not a cache path
      assert.equal((await get(relay, '12a', relay.token)).status, 400);
      assert.equal((await fetch(entryUrl(relay, HASH), { method: 'DELETE', headers: { authorization: `Bearer ${relay.token}` } })).status, 405);
    });
    assert.equal(server.logs.filter((l) => /^(GET|PUT) /.test(l)).length, 0, 'nothing refused by the relay reaches the server');
  });
});

test('relay: an upload streams through (the server has its first bytes before the client sends the rest)', async () => {
  let firstBytes!: () => void;
  const serverHasFirstBytes = new Promise<void>((ok) => (firstBytes = ok));
  const received = createHash('sha256');
  await withFakeServer((req, res) => {
    req.once('data', () => firstBytes());
    req.on('data', (chunk) => received.update(chunk));
    req.on('end', () => res.writeHead(200, { 'content-type': 'text/plain' }).end('stored'));
  }, async (url) => {
    await withRelay({ upstream: url, token: WRITE_TOKEN }, async (relay) => {
      const half = randomBytes(4 * 1024 * 1024);
      const sent = createHash('sha256');
      const status = await new Promise<number>((resolve, reject) => {
        const request = httpRequest(entryUrl(relay, HASH), {
          method: 'PUT', headers: { authorization: `Bearer ${relay.token}`, 'content-type': 'application/octet-stream', 'content-length': 2 * half.length },
        }, (response) => resolve(response.resume().statusCode ?? 0));
        request.on('error', reject);
        request.write(half);
        sent.update(half);
        const stuck = setTimeout(() => reject(new Error('the server saw nothing before the whole body was sent: the relay buffers uploads')), 10_000);
        void serverHasFirstBytes.then(() => {
          clearTimeout(stuck);
          request.end(half);
          sent.update(half);
        });
      });
      assert.equal(status, 200);
      assert.equal(received.digest('hex'), sent.digest('hex'));
    });
  });
});

test('relay: a download goes to a spool file as it arrives, reaches the client whole, and the spool is removed', async () => {
  const spoolParent = await mkdtemp(join(tmpdir(), 'relay-spool-test-'));
  const body = gzipSync(randomBytes(8 * 1024 * 1024), { level: 0 });
  const half = body.length >> 1;
  try {
    await withFakeServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': body.length });
      res.write(body.subarray(0, half));
      // The rest only once the first half is in a spool file on disk.
      void eventually(async () => {
        for (const dir of await readdir(spoolParent)) {
          for (const file of await readdir(join(spoolParent, dir))) if ((await stat(join(spoolParent, dir, file))).size >= half) return true;
        }
        return false;
      }, 10_000).then((spooled) => (spooled ? res.end(body.subarray(half)) : res.destroy()));
    }, async (url) => {
      const logs = await withRelay({ upstream: url, token: WRITE_TOKEN, spoolDir: spoolParent }, async (relay) => {
        const back = await get(relay, HASH, relay.token);
        assert.equal(back.status, 200);
        assert.equal(sha256(back.body), sha256(body));
      });
      assert.deepEqual(logs, []);
    });
    assert.deepEqual(await readdir(spoolParent), [], 'the spool folder is removed at close');
  } finally {
    await rm(spoolParent, { recursive: true, force: true });
  }
});

test('relay: a 24 MiB entry makes the round trip through the real server byte for byte', async () => {
  await withCacheServer(async (server) => {
    const big = gzipSync(randomBytes(24 * 1024 * 1024), { level: 0 });
    await withRelay({ upstream: server.url, token: WRITE_TOKEN }, async (relay) => {
      assert.equal((await put(relay, HASH, big, relay.token)).status, 200);
      const back = await get(relay, HASH, relay.token);
      assert.equal(back.status, 200);
      assert.equal(sha256(back.body), sha256(big));
    });
    assert.deepEqual([...(await storedEntries(server.dir)).values()], [sha256(big)]);
  }, { maxBodyBytes: 64 * 1024 * 1024 });
});

test('relay: server down from the start: GET 404, PUT 403, one warning naming it, and the summary at close', async () => {
  const url = await deadUrl();
  const logs = await withRelay({ upstream: url, token: WRITE_TOKEN }, async (relay, logs) => {
    assert.equal((await get(relay, HASH, relay.token)).status, 404);
    assert.equal((await put(relay, HASH, entry(1000), relay.token)).status, 403);
    assert.equal((await get(relay, OTHER, relay.token)).status, 404);
    assert.deepEqual(logs, [warning(url, 'unreachable (ECONNREFUSED)')]);
    assert.deepEqual(relay.failures(), { reads: 2, writes: 1 });
  });
  assert.deepEqual(logs, [warning(url, 'unreachable (ECONNREFUSED)'), `remote cache ${url}: 2 reads and 1 write failed; the run used local work`]);
});

test('relay: a wrong token: every request is tried, each 401 is a miss, one warning', async () => {
  await withCacheServer(async (server) => {
    const logs = await withRelay({ upstream: server.url, token: 'wrong-token-0123456789' }, async (relay) => {
      assert.equal((await get(relay, HASH, relay.token)).status, 404);
      assert.equal((await put(relay, HASH, entry(1000), relay.token)).status, 403);
      assert.equal((await put(relay, OTHER, entry(1000), relay.token)).status, 403);
    });
    assert.deepEqual(logs, [warning(server.url, 'refused the token (401)'), `remote cache ${server.url}: 1 read and 2 writes failed; the run used local work`]);
    assert.equal(server.logs.filter((l) => / 401 /.test(l)).length, 3);
    assert.deepEqual([...(await storedEntries(server.dir)).keys()], []);
  });
});

test('relay: the server killed between requests: what came before passes, what comes after is a miss', async () => {
  await withCacheServer(async (server) => {
    const logs = await withRelay({ upstream: server.url, token: WRITE_TOKEN }, async (relay, logs) => {
      assert.equal((await put(relay, HASH, entry(1000), relay.token)).status, 200);
      assert.equal((await get(relay, HASH, relay.token)).status, 200);
      assert.deepEqual(logs, []);
      await server.close();
      assert.equal((await get(relay, HASH, relay.token)).status, 404);
      assert.equal((await put(relay, OTHER, entry(1000), relay.token)).status, 403);
    });
    assert.deepEqual(logs, [warning(server.url, 'unreachable (ECONNREFUSED)'), `remote cache ${server.url}: 1 read and 1 write failed; the run used local work`]);
  });
});

test('relay: each kind of broken answer is a miss with its reason', async () => {
  const cases: { name: string; method: 'GET' | 'PUT'; handle: (req: IncomingMessage, res: ServerResponse) => void; reason: string }[] = [
    { name: '503 to a read', method: 'GET', handle: (_q, res) => res.writeHead(503).end('busy'), reason: 'answered 503 to a read' },
    { name: '403 to a read', method: 'GET', handle: (_q, res) => res.writeHead(403).end('no'), reason: 'refused the token (403)' },
    { name: '500 to an upload', method: 'PUT', handle: (req, res) => req.resume().on('end', () => res.writeHead(500).end('oops')), reason: 'answered 500 to an upload' },
    { name: '413 to an upload', method: 'PUT', handle: (_q, res) => res.writeHead(413, { connection: 'close' }).end('too big'), reason: 'answered 413 to an upload' },
    { name: 'an HTML page', method: 'GET', handle: (_q, res) => res.writeHead(200, { 'content-type': 'text/html' }).end('<html>login</html>'), reason: 'gave a malformed answer (an entry that is not gzip data)' },
    { name: 'an empty 200', method: 'GET', handle: (_q, res) => res.writeHead(200).end(), reason: 'gave a malformed answer (an entry of 0 bytes)' },
    {
      name: 'a body cut short', method: 'GET',
      handle: (_q, res) => {
        res.writeHead(200, { 'content-length': 1000 });
        res.write(entry(10).subarray(0, 20), () => res.destroy());
      },
      reason: 'cut an entry short (ECONNRESET)',
    },
  ];
  for (const { name, method, handle, reason } of cases) {
    await withFakeServer(handle, async (url) => {
      const logs = await withRelay({ upstream: url, token: WRITE_TOKEN }, async (relay) => {
        const status = method === 'GET' ? (await get(relay, HASH, relay.token)).status : (await put(relay, HASH, entry(1000), relay.token)).status;
        assert.equal(status, method === 'GET' ? 404 : 403, name);
      });
      assert.deepEqual(logs, [warning(url, reason), `remote cache ${url}: 1 ${method === 'GET' ? 'read' : 'write'} failed; the run used local work`], name);
    });
  }
  // Not HTTP at all.
  await withRawServer((socket) => socket.end('SSH-2.0-OpenSSH_9.6\r\n'), async (url) => {
    const logs = await withRelay({ upstream: url, token: WRITE_TOKEN }, async (relay) => {
      assert.equal((await get(relay, HASH, relay.token)).status, 404);
    });
    assert.match(logs[0], new RegExp(`^remote cache ${url} gave a malformed answer \\(HPE_[A-Z_]+\\): continuing`));
  });
});

test('relay: a hanging server costs one timeout, then requests are misses without a try until retryAfterMs has passed', async () => {
  await withRawServer(() => {}, async (url, connections) => {
    const logs = await withRelay({ upstream: url, token: WRITE_TOKEN, timeouts: { idleMs: 300 }, retryAfterMs: 1500 }, async (relay) => {
      let started = performance.now();
      assert.equal((await get(relay, HASH, relay.token)).status, 404);
      assert.ok(performance.now() - started >= 290, 'the first read waits for the timeout');
      started = performance.now();
      assert.equal((await put(relay, HASH, entry(1000), relay.token)).status, 403);
      assert.equal((await get(relay, OTHER, relay.token)).status, 404);
      assert.ok(performance.now() - started < 250, 'misses at once while resting');
      assert.equal(connections(), 1);
      await new Promise((ok) => setTimeout(ok, 1600));
      assert.equal((await get(relay, HASH, relay.token)).status, 404);
      assert.equal(connections(), 2, 'tried again after the rest');
    });
    assert.deepEqual(logs, [warning(url, 'unresponsive (no answer within 300 ms)'), `remote cache ${url}: 3 reads and 1 write failed; the run used local work`]);
  });
});

test('relay: Nx going away mid-upload is no failure: the upload is abandoned upstream, nothing stored, nothing logged', async () => {
  await withCacheServer(async (server) => {
    const logs = await withRelay({ upstream: server.url, token: WRITE_TOKEN }, async (relay) => {
      const port = Number(new URL(relay.url).port);
      await rawHttp(port, `PUT /v1/cache/${HASH} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${relay.token}\r\nContent-Type: application/octet-stream\r\nContent-Length: 100000\r\n\r\n${'x'.repeat(5000)}`, { cut: true });
      assert.ok(await eventually(() => server.logs.some((l) => l.startsWith(`PUT /v1/cache/${HASH} `))), server.logs.join('\n'));
      assert.deepEqual(relay.failures(), { reads: 0, writes: 0 });
    });
    assert.deepEqual(logs, []);
    assert.deepEqual([...(await storedEntries(server.dir)).keys()], []);
  });
});

test('withRemoteCache: no server variable, the env as given; a server, Nx pointed at a relay with its own token; a bad address, one warning and no remote cache', async () => {
  const logs: string[] = [];
  const log = (line: string) => void logs.push(line);
  const plain = { PATH: '/bin', NX_DAEMON: 'false' };
  const none = await withRemoteCache(plain, log);
  assert.equal(none.env, plain);
  await none.close();
  assert.deepEqual(logs, []);

  await withCacheServer(async (server) => {
    const given = { PATH: '/bin', NX_SELF_HOSTED_REMOTE_CACHE_SERVER: server.url, NX_SELF_HOSTED_REMOTE_CACHE_ACCESS_TOKEN: WRITE_TOKEN };
    const remote = await withRemoteCache(given, log);
    try {
      const relayUrl = remote.env.NX_SELF_HOSTED_REMOTE_CACHE_SERVER!;
      const relayToken = remote.env.NX_SELF_HOSTED_REMOTE_CACHE_ACCESS_TOKEN!;
      assert.match(relayUrl, /^http:\/\/127\.0\.0\.1:\d+$/);
      assert.notEqual(relayUrl, server.url);
      assert.match(relayToken, /^[0-9a-f]{64}$/);
      assert.equal(remote.env.PATH, '/bin');
      assert.equal(given.NX_SELF_HOSTED_REMOTE_CACHE_SERVER, server.url, 'the given env is not changed');
      assert.equal((await put({ url: relayUrl }, HASH, entry(100), relayToken)).status, 200);
      assert.equal((await get({ url: relayUrl }, HASH, relayToken)).status, 200);
    } finally {
      await remote.close();
    }
    assert.deepEqual(logs, []);
  });

  const bad = await withRemoteCache({ PATH: '/bin', NX_SELF_HOSTED_REMOTE_CACHE_SERVER: 'cache.example:4455', NX_SELF_HOSTED_REMOTE_CACHE_ACCESS_TOKEN: WRITE_TOKEN }, log);
  assert.deepEqual(bad.env, { PATH: '/bin' });
  await bad.close();
  assert.deepEqual(logs, ['remote cache cache.example:4455 not used (upstream: "cache.example:4455" is not an http(s) URL): continuing with the local cache only']);
});
