// The real Nx client (nx 23.3) through withRemoteCache's relay: the run completes whatever the cache server does. Loopback only.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WRITE_TOKEN, eventually, storedEntries, withCacheServer } from './test-harness.ts';
import { createWorkspace, runNx, timestampCommand, writeProject } from './nx-workspace.ts';
import { withRemoteCache } from './with-remote-cache.ts';

const PROJECTS = ['a', 'b'];

/** Builds a then b (b depends on a) with Nx pointed at a relay to `server` with `token`, as the CLI does; the relay's log lines come back with the run. */
async function runThroughRelay(root: string, server: { url: string }, token: string) {
  const logs: string[] = [];
  const remote = await withRemoteCache({ NX_SELF_HOSTED_REMOTE_CACHE_SERVER: server.url, NX_SELF_HOSTED_REMOTE_CACHE_ACCESS_TOKEN: token }, (line) => void logs.push(line));
  try {
    return { ...(await runNx(root, PROJECTS, { url: remote.env.NX_SELF_HOSTED_REMOTE_CACHE_SERVER!, token: remote.env.NX_SELF_HOSTED_REMOTE_CACHE_ACCESS_TOKEN! })), logs };
  } finally {
    await remote.close(); // appends its summary line to `logs`, already returned
  }
}

const remoteHits = (output: string) => PROJECTS.filter((p) => new RegExp(`nx run ${p}:build +\\[remote cache\\]`).test(output));
const warning = (url: string, reason: string) => `remote cache ${url} ${reason}: continuing with the local cache only`;
const summary = (url: string, counts: string) => `remote cache ${url}: ${counts} failed; the run used local work`;

test('Nx 23 through the relay: stores, then remote hits from an empty local cache; a wrong token, a server closed mid-run and a server down all end in exit 0 with local work and one warning', { timeout: 300_000 }, async () => {
  const root = await mkdtemp(join(tmpdir(), 'nx-relay-ws-'));
  const signals = await mkdtemp(join(tmpdir(), 'nx-relay-signals-'));
  try {
    await createWorkspace(root, { a: { command: timestampCommand('a') }, b: { command: timestampCommand('b'), dependsOn: ['a'] } });
    await withCacheServer(async (server) => {
      // Run 1: two misses, both tasks run, both uploads stored; the relay says nothing.
      const first = await runThroughRelay(root, server, WRITE_TOKEN);
      assert.equal(first.code, 0, first.output);
      for (const p of PROJECTS) assert.match(first.results[p] ?? '', /^\d+\n$/, p);
      assert.equal((await storedEntries(server.dir)).size, 2);
      assert.deepEqual(first.logs, []);

      // Run 2, empty local cache: both tasks from the server, run 1's very files restored.
      const second = await runThroughRelay(root, server, WRITE_TOKEN);
      assert.equal(second.code, 0, second.output);
      assert.deepEqual(remoteHits(second.output), PROJECTS, second.output);
      assert.deepEqual(second.results, first.results);
      assert.deepEqual(second.logs, []);

      // A wrong token (Nx alone: exit 1, tasks skipped, see nx-round-trip.test.ts): every read and write a miss, the tasks run, one warning.
      const wrong = await runThroughRelay(root, server, 'wrong-token-0123456789');
      assert.equal(wrong.code, 0, wrong.output);
      assert.deepEqual(remoteHits(wrong.output), []);
      for (const p of PROJECTS) assert.notEqual(wrong.results[p], first.results[p], `${p} computed afresh`);
      assert.doesNotMatch(wrong.output, /Unauthorized/);
      assert.deepEqual(wrong.logs, [warning(server.url, 'refused the token (401)'), summary(server.url, '2 reads and 2 writes')]);

      // The server closed while a runs (new commands, so new hashes): a's upload, b's read and b's upload are misses; exit 0.
      const started = join(signals, 'a-started');
      const release = join(signals, 'a-release');
      await writeProject(root, 'a', `touch ${started} && while [ ! -f ${release} ]; do sleep 0.05; done && ${timestampCommand('a')}`);
      await writeProject(root, 'b', `${timestampCommand('b')} && echo mid-run >> b/out/result.txt`, ['a']);
      const midRun = runThroughRelay(root, server, WRITE_TOKEN);
      assert.ok(await eventually(() => existsSync(started), 120_000), 'task a started');
      await server.close();
      await writeFile(release, '');
      const dying = await midRun;
      assert.equal(dying.code, 0, dying.output);
      assert.match(dying.results.a ?? '', /^\d+\n$/);
      assert.match(dying.results.b ?? '', /^\d+\nmid-run\n$/);
      assert.deepEqual(dying.logs, [warning(server.url, 'unreachable (ECONNREFUSED)'), summary(server.url, '1 read and 2 writes')]);
      assert.equal((await storedEntries(server.dir)).size, 2, 'nothing stored after the close');

      // The server down from the start (Nx alone: exit 1, "Failed to send request"): local work, exit 0.
      await writeProject(root, 'a', timestampCommand('a'));
      const down = await runThroughRelay(root, server, WRITE_TOKEN);
      assert.equal(down.code, 0, down.output);
      assert.doesNotMatch(down.output, /Failed to send request/);
      for (const p of PROJECTS) assert.match(down.results[p] ?? '', /^\d+\n/, p);
      assert.deepEqual(down.logs, [warning(server.url, 'unreachable (ECONNREFUSED)'), summary(server.url, '2 reads and 2 writes')]);
    });
  } finally {
    await rm(root, { recursive: true, force: true });
    await rm(signals, { recursive: true, force: true });
  }
});
