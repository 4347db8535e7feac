// The server against the real Nx client (the repository's nx 23, native HttpRemoteCache), loopback only.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { READ_TOKEN, WRITE_TOKEN, storedEntries, withCacheServer } from './test-harness.ts';

const NX_ROOT = dirname(createRequire(import.meta.url).resolve('nx/package.json'));
const NX_BIN = join(NX_ROOT, 'dist', 'bin', 'nx.js');

/** A one-project workspace whose cached `build` writes the time in nanoseconds to app/out/result.txt. */
async function createWorkspace(root: string, command = 'mkdir -p app/out && date +%s%N > app/out/result.txt'): Promise<void> {
  await mkdir(join(root, 'app'), { recursive: true });
  await mkdir(join(root, 'node_modules'));
  await symlink(NX_ROOT, join(root, 'node_modules', 'nx'), 'dir'); // Nx insists on finding itself in the workspace
  await writeFile(join(root, 'nx.json'), '{}\n');
  await writeProject(root, command);
}

async function writeProject(root: string, command: string): Promise<void> {
  await writeFile(join(root, 'app', 'project.json'), JSON.stringify({
    name: 'app',
    targets: { build: { executor: 'nx:run-commands', cache: true, outputs: ['{projectRoot}/out'], options: { command } } },
  }));
}

interface NxRun {
  code: number | null;
  output: string;
  /** app/out/result.txt after the run, or undefined. */
  result: string | undefined;
}

/**
 * `nx run app:build` as a fresh clone would: no outputs, no workspace data,
 * an empty local cache folder of its own (NX_CACHE_DIRECTORY), no daemon, no
 * Nx Cloud, the given remote cache.
 */
async function runNx(root: string, remote: { url: string; token: string }): Promise<NxRun> {
  await rm(join(root, 'app', 'out'), { recursive: true, force: true });
  await rm(join(root, '.nx'), { recursive: true, force: true });
  const cacheDir = await mkdtemp(join(tmpdir(), 'nx-local-cache-'));
  const env: NodeJS.ProcessEnv = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith('NX_')));
  Object.assign(env, {
    NX_DAEMON: 'false',
    NX_NO_CLOUD: 'true',
    NX_TUI: 'false',
    NX_CACHE_DIRECTORY: cacheDir,
    NX_SELF_HOSTED_REMOTE_CACHE_SERVER: remote.url,
    NX_SELF_HOSTED_REMOTE_CACHE_ACCESS_TOKEN: remote.token,
  });
  try {
    const child = spawn(process.execPath, [NX_BIN, 'run', 'app:build'], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    const result = await readFile(join(root, 'app', 'out', 'result.txt'), 'utf8').catch(() => undefined);
    return { code, output, result };
  } finally {
    await rm(cacheDir, { recursive: true, force: true });
  }
}

const puts = (logs: string[], status: number) => logs.filter((l) => new RegExp(`^PUT /v1/cache/\\d+ ${status} `).test(l)).length;
const gets = (logs: string[], status: number) => logs.filter((l) => new RegExp(`^GET /v1/cache/\\d+ ${status} `).test(l)).length;

test('Nx 23 round trip: run 1 stores, run 2 with an empty local cache restores from the server; read-only, corrupt, wrong token, server down', { timeout: 180_000 }, async () => {
  const root = await mkdtemp(join(tmpdir(), 'nx-remote-cache-ws-'));
  try {
    await createWorkspace(root);
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
      await writeProject(root, 'mkdir -p app/out && echo read-only > app/out/result.txt');
      const readOnly = await runNx(root, remote(READ_TOKEN));
      assert.equal(readOnly.code, 0, readOnly.output);
      assert.equal(readOnly.result, 'read-only\n');
      assert.equal(puts(server.logs, 403), 1, server.logs.join('\n'));
      assert.deepEqual([...(await storedEntries(server.dir)).keys()], [hash]);

      // Wrong token: Nx 23.3 does not fall back to local work. It stops at
      // the first cache read (exit 1, the task skipped) and prints the
      // server's 401 text. (nrwl/nx#36036, #36107: fixed upstream by making
      // remote cache errors warnings; a caller can probe the server first,
      // see probe.ts.)
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
