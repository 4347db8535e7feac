// The server against the real Nx client (the repository's nx 23, native HttpRemoteCache), loopback only.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { READ_TOKEN, WRITE_TOKEN, storedEntries, withCacheServer } from './test-harness.ts';
import { createWorkspace, runNx as runNxIn, timestampCommand, writeProject } from './nx-workspace.ts';

/** `nx run app:build` in the one-project workspace; `result` is app/out/result.txt. */
async function runNx(root: string, remote: { url: string; token: string }) {
  const run = await runNxIn(root, ['app'], remote, ['run', 'app:build']);
  return { ...run, result: run.results.app };
}

const puts = (logs: string[], status: number) => logs.filter((l) => new RegExp(`^PUT /v1/cache/\\d+ ${status} `).test(l)).length;
const gets = (logs: string[], status: number) => logs.filter((l) => new RegExp(`^GET /v1/cache/\\d+ ${status} `).test(l)).length;

test('Nx 23 round trip: run 1 stores, run 2 with an empty local cache restores from the server; read-only, corrupt, wrong token, server down', { timeout: 180_000 }, async () => {
  const root = await mkdtemp(join(tmpdir(), 'nx-remote-cache-ws-'));
  try {
    await createWorkspace(root, { app: { command: timestampCommand('app') } });
    await withCacheServer(async (server) => {
      const remote = (token: string) => ({ url: server.url, token });

      // Run 1: a miss (GET 404), the task runs, its outputs are uploaded (PUT 200).
      const first = await runNx(root, remote(WRITE_TOKEN));
      assert.equal(first.code, 0, first.output);
      assert.match(first.result ?? '', /^\d+\n$/);
      assert.equal(gets(server.logs, 404), 1, server.logs.join('\n'));
      assert.equal(puts(server.logs, 200), 1, server.logs.join('\n'));
      const [hash] = [...(await storedEntries(server.dir)).keys()];
      assert.match(hash, /^\d{1,20}$/);

      // Run 2, read-only token, empty local cache: a remote hit, the very file of run 1 restored, the task not run.
      const second = await runNx(root, remote(READ_TOKEN));
      assert.equal(second.code, 0, second.output);
      assert.match(second.output, /nx run app:build +\[remote cache\]/);
      assert.equal(second.result, first.result);
      assert.equal(gets(server.logs, 200), 1);

      // A corrupted entry is never restored: 404 and a log line, the task runs, and its new upload replaces the bad entry.
      const entryFile = join(server.dir, hash);
      const bytes = await readFile(entryFile);
      bytes[bytes.length >> 1] ^= 0xff;
      await writeFile(entryFile, bytes);
      const third = await runNx(root, remote(WRITE_TOKEN));
      assert.equal(third.code, 0, third.output);
      assert.doesNotMatch(third.output, /\[remote cache\]/);
      assert.notEqual(third.result, first.result);
      assert.ok(server.logs.some((l) => l.startsWith(`corrupt entry ${hash} not served`)), server.logs.join('\n'));
      assert.equal(puts(server.logs, 200), 2);
      assert.deepEqual([...(await storedEntries(server.dir)).keys()], [hash]);

      // Read-only token on a task the server lacks: Nx takes the 403 on upload quietly; nothing stored.
      await writeProject(root, 'app', 'mkdir -p app/out && echo read-only > app/out/result.txt');
      const readOnly = await runNx(root, remote(READ_TOKEN));
      assert.equal(readOnly.code, 0, readOnly.output);
      assert.equal(readOnly.result, 'read-only\n');
      assert.equal(puts(server.logs, 403), 1, server.logs.join('\n'));
      assert.deepEqual([...(await storedEntries(server.dir)).keys()], [hash]);

      // Wrong token: Nx 23.3 does not fall back to local work. It stops at
      // the first cache read (exit 1, the task skipped) and prints the
      // server's 401 text. (nrwl/nx#36036, #36107: fixed upstream by making
      // remote cache errors warnings. withRemoteCache's relay turns both
      // cases into misses: nx-relay.test.ts.)
      const wrong = await runNx(root, remote('wrong-token-0123456789'));
      assert.equal(wrong.code, 1, wrong.output);
      assert.match(wrong.output, /Unauthorized: missing or invalid cache token \(NX_SELF_HOSTED_REMOTE_CACHE_ACCESS_TOKEN\)/);
      assert.equal(wrong.result, undefined);

      // Server down: the same in Nx 23.3, exit 1 with "Failed to send request", the task skipped.
      await server.close();
      const down = await runNx(root, remote(WRITE_TOKEN));
      assert.equal(down.code, 1, down.output);
      assert.match(down.output, /Failed to send request/);
      assert.equal(down.result, undefined);
      assert.deepEqual((await readdir(server.dir)).sort(), [hash, `${hash}.corrupt`, `${hash}.sha256`]);
    });
  } finally {
    await rm(root, { recursive: true, force: true });
  }
});
