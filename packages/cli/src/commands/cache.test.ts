import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import yargs from 'yargs';
import { ElasticityError } from '@elasticity/core/light';
import { cacheCommand } from './cache.ts';

const TOKEN = 'cli-write-token-0123456789';
const READ = 'cli-read-token-0123456789';
const MODULE = fileURLToPath(new URL('./cache.ts', import.meta.url));

async function withDir(fn: (dir: string) => Promise<void>) {
  const dir = await mkdtemp(join(tmpdir(), 'cache-command-test-'));
  try {
    await fn(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

const parse = async (argv: string[]) => yargs().command(cacheCommand).fail((message, error) => { throw error ?? new Error(message); }).strict().parseAsync(argv);

test('cache serve: tokens from flags or ELASTICITY_CACHE_TOKEN / ELASTICITY_CACHE_READ_TOKEN; SIGTERM stops it cleanly', { timeout: 60_000 }, async () => {
  await withDir(async (dir) => {
    // A process of its own, as `elasticity cache serve` would be: the tokens come from the environment.
    const script = `import yargs from 'yargs'; const { cacheCommand } = await import(${JSON.stringify(MODULE)}); await yargs(process.argv.slice(1)).command(cacheCommand).strict().parseAsync();`;
    const started = performance.now();
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script, 'cache', 'serve', '--port', '0', '--dir', join(dir, 'store')], {
      env: { ...process.env, ELASTICITY_CACHE_TOKEN: TOKEN, ELASTICITY_CACHE_READ_TOKEN: READ },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    const url = await new Promise<string>((resolve, reject) => {
      child.stderr.on('data', (chunk) => {
        stderr += chunk;
        const match = /serving the Nx remote cache at (http:\/\/127\.0\.0\.1:\d+)/.exec(stderr);
        if (match) resolve(match[1]);
      });
      child.on('exit', () => reject(new Error(`exited early: ${stderr}`)));
    });
    const startMs = performance.now() - started;
    const entry = `${url}/v1/cache/123`;
    const stored = await fetch(entry, { method: 'PUT', headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/octet-stream' }, body: 'bytes' });
    assert.equal(stored.status, 200);
    assert.equal(await (await fetch(entry, { headers: { authorization: `Bearer ${READ}` } })).text(), 'bytes');
    assert.equal((await fetch(entry, { method: 'PUT', headers: { authorization: `Bearer ${READ}`, 'content-type': 'application/octet-stream' }, body: 'x' })).status, 403);
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    child.kill('SIGTERM');
    assert.equal(await exited, 0, stderr);
    assert.match(stderr, /\[cache\] PUT \/v1\/cache\/123 200 5 B \d+ ms/);
    assert.match(stderr, /\[cache\] stopped serving http:\/\/127\.0\.0\.1:\d+\n$/);
    assert.deepEqual((await readdir(join(dir, 'store'))).sort(), ['123', '123.sha256']);
    console.log(`# cache serve: process start to listening ${startMs.toFixed(0)} ms`);
  });
});

test('cache serve: bad options give one ElasticityError naming the flag', async () => {
  await withDir(async (dir) => {
    const saved = { token: process.env.ELASTICITY_CACHE_TOKEN, read: process.env.ELASTICITY_CACHE_READ_TOKEN };
    delete process.env.ELASTICITY_CACHE_TOKEN;
    delete process.env.ELASTICITY_CACHE_READ_TOKEN;
    const serve = (...extra: string[]) => parse(['cache', 'serve', '--port', '0', '--dir', join(dir, 'store'), ...extra]);
    const named = (field: string, message: RegExp) => (error: unknown) => error instanceof ElasticityError && error.field === field && message.test(error.message);
    try {
      await assert.rejects(serve(), named('--token (or ELASTICITY_CACHE_TOKEN)', /a read-write token is required/));
      await assert.rejects(serve('--token', 'short'), named('--token (or ELASTICITY_CACHE_TOKEN)', /at least 16 characters/));
      await assert.rejects(serve('--token', TOKEN, '--read-token', TOKEN), named('--read-token (or ELASTICITY_CACHE_READ_TOKEN)', /must differ/));
      await assert.rejects(serve('--token', TOKEN, '--max-body-mb', '0'), named('--max-body-mb', /positive number of MiB/));
      await assert.rejects(serve('--token', TOKEN, '--host', 'not-a-host.invalid'), named('--host', /cannot listen on not-a-host.invalid:0/));
      await assert.rejects(parse(['cache']), /name an action: serve|Not enough non-option arguments/);
    } finally {
      if (saved.token !== undefined) process.env.ELASTICITY_CACHE_TOKEN = saved.token;
      if (saved.read !== undefined) process.env.ELASTICITY_CACHE_READ_TOKEN = saved.read;
    }
  });
});
