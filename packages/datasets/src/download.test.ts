import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { c as createTar } from 'tar';
import { ElasticityError } from '@elasticity/core';
import { withTempDir } from '@elasticity/core/testing';
import { downloadDataset, downloadFile, MNIST_SHA256 } from './download.ts';
import { writeCifarFolder, writeMnistFolder } from './readers/fixtures.ts';
import { readMnistFolder } from './readers/mnist-idx.ts';
import { readCifar10Folder } from './readers/cifar10.ts';

const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

/** A loopback server (127.0.0.1 only) serving `files` by name, plus /redirect/NAME and 404s. */
async function serve(files: Record<string, Uint8Array>, fn: (base: string) => Promise<void>) {
  const server = createServer((req, res) => {
    const name = decodeURIComponent((req.url ?? '').replace(/^\/files\//, ''));
    if (name.startsWith('/redirect/')) {
      res.writeHead(302, { location: `/files/${name.slice('/redirect/'.length)}` }).end();
    } else if (files[name]) {
      res.writeHead(200, { 'content-length': files[name].length }).end(files[name]);
    } else {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  try {
    await fn(`http://127.0.0.1:${(server.address() as AddressInfo).port}/files/`);
  } finally {
    await new Promise((ok) => server.close(ok));
  }
}

test('good checksum accepted; bad checksum rejected with no file left; 404 reported', async () => {
  await withTempDir('download-test-', async (dir) => {
    const body = Uint8Array.from({ length: 100000 }, (_, i) => (i * 7) % 251);
    await serve({ 'a.bin': body }, async (base) => {
      const dest = join(dir, 'a.bin');
      const ok = await downloadFile(base + 'a.bin', dest, sha(body));
      assert.equal(ok.skipped, false);
      assert.deepEqual(new Uint8Array(readFileSync(dest)), body);
      // Present and matching: kept without downloading.
      assert.equal((await downloadFile(base + 'missing', dest, sha(body))).skipped, true);
      // Through a redirect.
      const viaRedirect = join(dir, 'r.bin');
      await downloadFile(base.replace('/files/', '/redirect/') + 'a.bin', viaRedirect, sha(body));
      assert.ok(existsSync(viaRedirect));

      const bad = join(dir, 'bad.bin');
      await assert.rejects(downloadFile(base + 'a.bin', bad, '0'.repeat(64), { attempts: 2, backoffMs: 1 }), (e: unknown) => e instanceof ElasticityError && e.field === 'sha256');
      assert.ok(!existsSync(bad));
      await assert.rejects(downloadFile(base + 'nothing', join(dir, 'n.bin'), null), (e: unknown) => e instanceof ElasticityError && e.field === 'http' && /404/.test(e.message));
      assert.deepEqual((await readdir(dir)).sort(), ['a.bin', 'r.bin'], 'no temp or partial files');
    });
  });
});

test('MNIST: four IDX .gz files downloaded into rawDir/mnist and readable; a wrong checksum stops it', async () => {
  await withTempDir('download-test-', async (dir) => {
    const src = join(dir, 'src');
    await writeMnistFolder(src, { train: { labels: [1, 2, 3] }, test: { labels: [4] } }, { gzip: true });
    const files: Record<string, Uint8Array> = {};
    for (const name of Object.keys(MNIST_SHA256)) files[name] = new Uint8Array(readFileSync(join(src, name)));
    const checksums = Object.fromEntries(Object.entries(files).map(([n, b]) => [n, sha(b)]));
    await serve(files, async (baseUrl) => {
      const rawDir = join(dir, 'raw');
      const folder = await downloadDataset('mnist', { rawDir, baseUrl, checksums });
      assert.equal(folder, join(rawDir, 'mnist'));
      const source = await readMnistFolder(folder);
      assert.deepEqual(Array.from(source.train.labels), [1, 2, 3]);
      // The real constants are used when not overridden: our generated files do not match them.
      const other = join(dir, 'raw2');
      await assert.rejects(downloadDataset('mnist', { rawDir: other, baseUrl, retry: { attempts: 2, backoffMs: 1 } }), (e: unknown) => e instanceof ElasticityError && e.field === 'sha256');
      assert.deepEqual(await readdir(join(other, 'mnist')), []);
    });
  });
});

test('CIFAR-10: archive verified, extracted into rawDir/cifar-10-batches-bin', async () => {
  await withTempDir('download-test-', async (dir) => {
    const src = join(dir, 'src');
    await writeCifarFolder(join(src, 'cifar-10-batches-bin'), [[1], [2], [3], [4], [5, 6]], [7]);
    const archive = join(dir, 'cifar-10-binary.tar.gz');
    await createTar({ gzip: true, file: archive, cwd: src }, ['cifar-10-batches-bin']);
    const bytes = new Uint8Array(readFileSync(archive));
    await serve({ 'cifar-10-binary.tar.gz': bytes }, async (baseUrl) => {
      const rawDir = join(dir, 'raw');
      const folder = await downloadDataset('cifar10', { rawDir, baseUrl, checksums: { 'cifar-10-binary.tar.gz': sha(bytes) } });
      assert.equal(folder, join(rawDir, 'cifar-10-batches-bin'));
      const source = await readCifar10Folder(folder);
      assert.deepEqual(Array.from(source.train.labels), [1, 2, 3, 4, 5, 6]);
      assert.deepEqual((await readdir(rawDir)).sort(), ['cifar-10-batches-bin', 'cifar-10-binary.tar.gz'], 'no extraction temp folder left');
    });
  });
});

test('transient failures (503, a connection cut mid-body) are retried with backoff; a 4xx is final; no partial file ever', async () => {
  await withTempDir('download-test-', async (dir) => {
    const body = Uint8Array.from({ length: 50000 }, (_, i) => (i * 13) % 256);
    let calls = 0;
    const server = createServer((req, res) => {
      calls++;
      if (req.url === '/gone') return void res.writeHead(410).end();
      if (calls === 1) return void res.writeHead(503).end();
      if (calls === 2) {
        // Promise the whole body, send half, cut the connection.
        res.writeHead(200, { 'content-length': body.length });
        res.write(body.subarray(0, body.length / 2));
        return void setTimeout(() => res.socket?.destroy(), 10);
      }
      res.writeHead(200, { 'content-length': body.length }).end(body);
    });
    await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const dest = join(dir, 'flaky.bin');
      const started = performance.now();
      await downloadFile(`${base}/flaky`, dest, sha(body), { attempts: 3, backoffMs: 50 });
      assert.equal(calls, 3);
      assert.ok(performance.now() - started >= 150, 'waited 50 + 100 ms between attempts');
      assert.deepEqual(new Uint8Array(readFileSync(dest)), body);
      calls = 0;
      await assert.rejects(downloadFile(`${base}/gone`, join(dir, 'gone.bin'), null, { attempts: 3, backoffMs: 1 }), /HTTP status 410/);
      assert.equal(calls, 1, 'a 4xx is not retried');
      calls = 0;
      const never = join(dir, 'never.bin');
      await assert.rejects(downloadFile(`${base}/flaky`, never, sha(body), { attempts: 2, backoffMs: 1 }), (e: unknown) => e instanceof ElasticityError && e.field === 'http');
      assert.equal(existsSync(never), false);
      assert.deepEqual((await readdir(dir)).sort(), ['flaky.bin'], 'no temp file left');
    } finally {
      await new Promise((ok) => server.close(ok));
    }
  });
});
