// 1,000 seeded malformed or hostile requests against one server on 127.0.0.1 (issue 17.4).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { createRng } from '@elasticity/core';
import type { Rng } from '@elasticity/core';
import {
  READ_TOKEN, WRITE_TOKEN, eventually, get, rawHttp, sha256, snapshot, storedEntries, withCacheServer,
} from './test-harness.ts';
import type { RawResponse } from './test-harness.ts';

const SEED = 17;
const REQUESTS = 1000;
const MAX_BODY = 64 * 1024;

/** One generated request: what it is, the bytes on the wire, and the answers that are acceptable. */
interface Attack {
  kind: string;
  wire: Buffer;
  /** undefined in the set: the server may close without an answer. */
  allowed: Set<number | undefined>;
  /** Close the socket right after writing (a client dying mid-upload). */
  cut?: boolean;
  /** Paths this request tries to write to, outside the store. */
  targets?: string[];
  /** A well-formed, authorised upload: on 200 it must be what the store holds. */
  legit?: { hash: string; body: Buffer };
}

function wire(method: string, path: string | Buffer, headers: [string, string][], body?: Buffer): Buffer {
  const head = Buffer.concat([
    Buffer.from(`${method} `),
    typeof path === 'string' ? Buffer.from(path, 'latin1') : path,
    Buffer.from(` HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n${headers.map(([k, v]) => `${k}: ${v}\r\n`).join('')}\r\n`, 'latin1'),
  ]);
  return body ? Buffer.concat([head, body]) : head;
}

const auth = (token: string): [string, string] => ['Authorization', `Bearer ${token}`];
const octets: [string, string] = ['Content-Type', 'application/octet-stream'];
const pick = <T>(rng: Rng, items: readonly T[]): T => items[rng.int(0, items.length - 1)];
const bytes = (rng: Rng, n: number) => Buffer.from(Uint8Array.from({ length: n }, () => rng.int(0, 255)));
const digits = (rng: Rng, n: number) => Array.from({ length: n }, () => rng.int(0, 9)).join('');
const REFUSED = (...codes: (number | undefined)[]) => new Set<number | undefined>(codes);

/** Bad hashes: traversal (plain, encoded, double-encoded, backslashes), absolute paths, overlong, unicode, look-alikes of the store's own files. */
function badHash(rng: Rng, store: string, i: number): { path: string | Buffer; targets: string[] } {
  const name = `escape-${i}`;
  const up = '../'.repeat(rng.int(1, 4));
  const traversals: { path: string | Buffer; target: string }[] = [
    { path: `${up}${name}`, target: resolve(store, up, name) },
    { path: `${up.replaceAll('/', '%2f')}${name}`, target: resolve(store, up, name) },
    { path: `${up.replaceAll('.', '%2e').replaceAll('/', '%2f')}${name}`, target: resolve(store, up, name) },
    { path: `${up.replaceAll('.', '%2E').replaceAll('/', '%2F')}${name}`, target: resolve(store, up, name) },
    { path: `${up.replaceAll('/', '%252f')}${name}`, target: resolve(store, up, name) },
    { path: `${up.replaceAll('/', '\\')}${name}`, target: resolve(store, up, name) },
    { path: `..%5c..%5c${name}`, target: resolve(store, '../..', name) },
    { path: `%2Ftmp%2F${name}`, target: `/tmp/${name}` },
    { path: `/tmp/${name}`, target: `/tmp/${name}` },
    { path: `${resolve(store, '..', name)}`, target: resolve(store, '..', name) },
    { path: `${encodeURIComponent(resolve(store, '..', name))}`, target: resolve(store, '..', name) },
  ];
  const others: (string | Buffer)[] = [
    digits(rng, rng.int(21, 4000)),
    'a'.repeat(rng.int(1, 20000)),
    encodeURIComponent('١٢٣٤'),
    encodeURIComponent('１２３'),
    encodeURIComponent('12\u00e9'),
    Buffer.from(`12${pick(rng, ['é', '🙂', 'ü'])}`, 'utf8'),
    `12%00`,
    `${digits(rng, 3)}.sha256`,
    `${digits(rng, 3)}.corrupt`,
    `.${digits(rng, 3)}.upload-abcdef`,
    `${digits(rng, 2)}%2F${digits(rng, 2)}`,
    `-${digits(rng, 3)}`,
    `+${digits(rng, 3)}`,
    `${digits(rng, 3)}%20`,
    `0x${digits(rng, 4)}`,
    `${digits(rng, 2)}.${digits(rng, 2)}`,
    '',
    '.',
    '%2e',
  ];
  if (rng.next() < 0.5) {
    const t = pick(rng, traversals);
    return { path: t.path, targets: [t.target] };
  }
  return { path: pick(rng, others), targets: [] };
}

function generate(rng: Rng, i: number, store: string, freshHash: () => string, existing: () => string | undefined): Attack[] {
  const roll = rng.next();
  if (roll < 0.3) {
    const { path, targets } = badHash(rng, store, i);
    const method = pick(rng, ['GET', 'PUT']);
    const body = bytes(rng, rng.int(1, 2000));
    const full = Buffer.concat([Buffer.from('/v1/cache/'), Buffer.isBuffer(path) ? path : Buffer.from(path, 'latin1')]);
    const headers: [string, string][] = method === 'PUT' ? [auth(WRITE_TOKEN), octets, ['Content-Length', String(body.length)]] : [auth(WRITE_TOKEN)];
    return [{ kind: 'bad hash', wire: wire(method, full, headers, method === 'PUT' ? body : undefined), allowed: REFUSED(400, 404, 414, 431, undefined), targets }];
  }
  if (roll < 0.42) {
    // Over the cap: declared, or declared small while sending more (the rest is then a malformed next request).
    const hash = freshHash();
    if (rng.next() < 0.6) {
      const declared = MAX_BODY + rng.int(1, 50 * MAX_BODY);
      const sent = bytes(rng, rng.int(0, 2 * MAX_BODY));
      return [{ kind: 'huge body', wire: wire('PUT', `/v1/cache/${hash}`, [auth(WRITE_TOKEN), octets, ['Content-Length', String(declared)]], sent), allowed: REFUSED(413, undefined), cut: rng.next() < 0.5 }];
    }
    const declared = rng.int(1, 100);
    const sent = bytes(rng, MAX_BODY + rng.int(1, MAX_BODY));
    return [{
      kind: 'huge body', wire: wire('PUT', `/v1/cache/${hash}`, [auth(WRITE_TOKEN), octets, ['Content-Length', String(declared)]], sent),
      allowed: REFUSED(200, 400, undefined), legit: { hash, body: sent.subarray(0, declared) },
    }];
  }
  if (roll < 0.54) {
    const hash = freshHash();
    const declared = rng.int(2, MAX_BODY);
    const sent = bytes(rng, rng.int(0, declared - 1));
    return [{ kind: 'truncated body', wire: wire('PUT', `/v1/cache/${hash}`, [auth(WRITE_TOKEN), octets, ['Content-Length', String(declared)]], sent), allowed: REFUSED(undefined), cut: true }];
  }
  if (roll < 0.7) {
    const badAuth: [string, string][][] = [
      [],
      [['Authorization', `Basic ${Buffer.from(`user:${WRITE_TOKEN}`).toString('base64')}`]],
      [['Authorization', 'Bearer']],
      [['Authorization', 'Bearer ']],
      [['Authorization', `Bearer ${bytes(rng, 16).toString('hex')}`]],
      [['Authorization', `Bearer ${WRITE_TOKEN}x`]],
      [['Authorization', `Bearer ${WRITE_TOKEN.slice(0, -1)}`]],
      [['Authorization', `Bearer${WRITE_TOKEN}`]],
      [['Authorization', `Token ${WRITE_TOKEN}`]],
      [['Authorization', WRITE_TOKEN]],
      [['Authorization', `Bearer ${WRITE_TOKEN.toUpperCase()}`]],
      [['Authorization', `Bearer ${WRITE_TOKEN} ${WRITE_TOKEN}`]],
      [['Authorization', `Bearer ${READ_TOKEN}${WRITE_TOKEN}`]],
      [['Authorization', 'Bearer wrong-token-0000000000'], ['Authorization', `Bearer ${WRITE_TOKEN}`]],
      [['X-Access-Token', WRITE_TOKEN]],
      [['Cookie', `token=${WRITE_TOKEN}`]],
    ];
    const headers = pick(rng, badAuth);
    const target = existing() ?? freshHash();
    if (rng.next() < 0.4) return [{ kind: 'bad auth', wire: wire('GET', `/v1/cache/${target}`, headers), allowed: REFUSED(401) }];
    const body = bytes(rng, rng.int(1, 4000));
    const readOnly = rng.next() < 0.25;
    const h: [string, string][] = readOnly ? [auth(READ_TOKEN)] : headers;
    return [{
      kind: 'bad auth', wire: wire('PUT', `/v1/cache/${freshHash()}`, [...h, octets, ['Content-Length', String(body.length)]], body),
      allowed: readOnly ? REFUSED(403) : REFUSED(401, undefined),
    }];
  }
  if (roll < 0.8) {
    const method = pick(rng, ['POST', 'DELETE', 'PATCH', 'OPTIONS', 'HEAD', 'TRACE', 'PROPFIND', 'MKCOL', 'COPY', 'MOVE', 'get', 'put', 'FOO', 'PUT\tX']);
    const target = existing() ?? freshHash();
    const body = bytes(rng, rng.int(1, 500));
    return [{
      kind: 'wrong method', wire: wire(method, `/v1/cache/${target}`, [auth(WRITE_TOKEN), octets, ['Content-Length', String(body.length)]], body),
      allowed: REFUSED(400, 404, 405, undefined),
    }];
  }
  if (roll < 0.88) {
    const hash = freshHash();
    const forms: { headers: [string, string][]; body: Buffer; allowed: Set<number | undefined> }[] = [
      { headers: [auth(WRITE_TOKEN), octets, ['Content-Length', 'abc']], body: bytes(rng, 10), allowed: REFUSED(400, undefined) },
      { headers: [auth(WRITE_TOKEN), octets, ['Content-Length', '-1']], body: bytes(rng, 10), allowed: REFUSED(400, undefined) },
      { headers: [auth(WRITE_TOKEN), octets, ['Content-Length', '1e3']], body: bytes(rng, 10), allowed: REFUSED(400, undefined) },
      { headers: [auth(WRITE_TOKEN), octets, ['Content-Length', '10'], ['Content-Length', '20']], body: bytes(rng, 20), allowed: REFUSED(400, undefined) },
      { headers: [auth(WRITE_TOKEN), octets, ['Content-Length', '5'], ['Transfer-Encoding', 'chunked']], body: Buffer.from('5\r\nhello\r\n0\r\n\r\n'), allowed: REFUSED(400, undefined) },
      { headers: [auth(WRITE_TOKEN), octets, ['Transfer-Encoding', 'chunked']], body: Buffer.from('5\r\nhello\r\n0\r\n\r\n'), allowed: REFUSED(411, undefined) },
      { headers: [auth(WRITE_TOKEN), octets, ['Content-Length', '0']], body: Buffer.alloc(0), allowed: REFUSED(400) },
      { headers: [auth(WRITE_TOKEN), ['Content-Type', 'application/json'], ['Content-Length', '2']], body: Buffer.from('{}'), allowed: REFUSED(415, undefined) },
      { headers: [auth(WRITE_TOKEN), ['Content-Length', '4']], body: bytes(rng, 4), allowed: REFUSED(415, undefined) },
      { headers: [auth(WRITE_TOKEN), octets, ['Content-Length', '4'], ['X-Bad\u0001Header', 'v']], body: bytes(rng, 4), allowed: REFUSED(400, undefined) },
    ];
    const form = pick(rng, forms);
    if (rng.next() < 0.3) return [{ kind: 'malformed HTTP', wire: bytes(rng, rng.int(1, 3000)), allowed: REFUSED(400, undefined) }];
    return [{ kind: 'malformed HTTP', wire: wire('PUT', `/v1/cache/${hash}`, form.headers, form.body), allowed: form.allowed }];
  }
  if (roll < 0.93) {
    // Concurrent PUTs of one hash: exactly one may win.
    const hash = freshHash();
    return Array.from({ length: rng.int(2, 6) }, () => {
      const body = bytes(rng, rng.int(1, MAX_BODY));
      return {
        kind: 'concurrent PUT', wire: wire('PUT', `/v1/cache/${hash}`, [auth(WRITE_TOKEN), octets, ['Content-Length', String(body.length)]], body),
        allowed: REFUSED(200, 409), legit: { hash, body },
      };
    });
  }
  const hash = freshHash();
  const body = bytes(rng, rng.int(1, MAX_BODY));
  return [{ kind: 'authorised write', wire: wire('PUT', `/v1/cache/${hash}`, [auth(WRITE_TOKEN), octets, ['Content-Length', String(body.length)]], body), allowed: REFUSED(200), legit: { hash, body } }];
}

test('1,000 seeded malformed requests: no crash, no file outside the store, no unauthorised write', { timeout: 240_000 }, async (t) => {
  await withCacheServer(async (server) => {
    // Sentinels beside the store: an escaping write would change this snapshot.
    await mkdir(join(server.parent, 'sentinel-folder'));
    await writeFile(join(server.parent, 'sentinel.txt'), 'unchanged');
    await writeFile(join(server.parent, 'sentinel-folder', 'inner.txt'), 'unchanged');
    const before = await snapshot(server.parent, server.dir);

    const rng = createRng(SEED);
    let nextHash = 1000;
    const written: string[] = [];
    const authorised = new Map<string, string>();
    const targets: string[] = [];
    const counts: Record<string, number> = {};
    const statuses: Record<string, number> = {};
    const unexpected: string[] = [];
    let sent = 0;
    let healthChecks = 0;
    const started = performance.now();

    for (let i = 0; sent < REQUESTS; i++) {
      const attacks = generate(rng, i, server.dir, () => String(nextHash++), () => (written.length ? pick(rng, written) : undefined)).slice(0, REQUESTS - sent);
      const answers: RawResponse[] = await Promise.all(attacks.map((a) => rawHttp(server.port, a.wire, { cut: a.cut })));
      const winners = new Set<string>();
      attacks.forEach((attack, k) => {
        const status = answers[k].status;
        counts[attack.kind] = (counts[attack.kind] ?? 0) + 1;
        statuses[String(status ?? 'closed')] = (statuses[String(status ?? 'closed')] ?? 0) + 1;
        if (!attack.allowed.has(status)) unexpected.push(`#${sent + k} ${attack.kind}: ${status ?? 'closed'} for ${JSON.stringify(attack.wire.subarray(0, 120).toString('latin1'))}`);
        targets.push(...(attack.targets ?? []));
        if (status === 200 && attack.legit) {
          if (winners.has(attack.legit.hash)) unexpected.push(`#${sent + k}: a second 200 for ${attack.legit.hash}`);
          winners.add(attack.legit.hash);
          authorised.set(attack.legit.hash, sha256(attack.legit.body));
          written.push(attack.legit.hash);
        }
      });
      if (attacks[0].kind === 'concurrent PUT' && winners.size !== 1) unexpected.push(`#${sent}: ${winners.size} winners among ${attacks.length} concurrent PUTs`);
      sent += attacks.length;
      if (i % 25 === 0) {
        assert.equal((await get(server, '1')).status, 404, `server stopped answering after ${sent} requests`);
        healthChecks++;
      }
    }
    const seconds = (performance.now() - started) / 1000;

    // Still answering, never a 5xx, nothing logged as an internal error.
    assert.equal((await get(server, '1')).status, 404);
    assert.deepEqual(unexpected, []);
    assert.equal(Object.keys(statuses).filter((s) => s.startsWith('5')).length, 0, JSON.stringify(statuses));
    assert.deepEqual(server.logs.filter((l) => l.startsWith('error in')), []);
    // Nothing written outside D: the sentinel folder is unchanged and no attack's target exists.
    assert.deepEqual(await snapshot(server.parent, server.dir), before);
    assert.deepEqual(targets.filter((p) => existsSync(p)), []);
    // The store holds exactly the authorised writes (each checked against its recorded SHA-256), and no temp file.
    assert.ok(await eventually(async () => (await readdir(server.dir)).every((n) => /^\d+(\.sha256)?$/.test(n))), String(await readdir(server.dir)));
    assert.deepEqual(await storedEntries(server.dir), authorised);
    for (const [hash, digest] of authorised) assert.equal(sha256((await get(server, hash, READ_TOKEN)).body), digest);

    const summary = { seed: SEED, requests: sent, seconds: Number(seconds.toFixed(1)), byKind: counts, byStatus: statuses, authorisedWrites: authorised.size, attackTargets: targets.length, healthChecks };
    t.diagnostic(JSON.stringify(summary));
  }, { maxBodyBytes: MAX_BODY });
});
