import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeMatrixFile } from '@elasticity/core';

const CLI_DIR = join(dirname(fileURLToPath(import.meta.url)), '..');
const LAUNCHER = join(CLI_DIR, 'bin/elasticity.js');
const VERSION = (JSON.parse(readFileSync(join(CLI_DIR, 'package.json'), 'utf8')) as { version: string }).version;

function launch(args: string[], env: Record<string, string>, cwd = CLI_DIR) {
  return spawnSync(process.execPath, [LAUNCHER, ...args], { cwd, env: { ...process.env, ...env }, encoding: 'utf8' });
}

test('the launcher runs the CLI from one bundle it makes once and reuses; ELASTICITY_BUNDLE=0 runs the sources through tsx', { timeout: 120_000 }, async () => {
  const cache = mkdtempSync(join(tmpdir(), 'cli-bundle-'));
  try {
    const env = { ELASTICITY_BUNDLE_CACHE: cache };
    const first = launch(['--version'], env);
    assert.equal(first.status, 0, first.stderr);
    assert.equal(first.stdout.trim(), VERSION);
    const made = readdirSync(cache);
    assert.equal(made.length, 1, `one bundle folder: ${made.join(', ')}`);
    const entry = join(cache, made[0], 'bin.js');
    const builtAt = statSync(entry).mtimeMs;

    // a command that loads a stage-free command module, Arrow (a CommonJS shim in the workspace) and a
    // worker script found relative to its module's import.meta.url (the Arrow decode guard)
    const file = join(cache, 'm.arrow');
    await writeMatrixFile(file, { kind: 'relative', rowIds: Int32Array.of(7, 9), columnIds: Int32Array.of(7, 9), values: Float64Array.of(1, 0.5, 0.25, 1) }, { stage: 'probe', params: {}, seed: null, inputs: {} });
    const inspect = launch(['inspect', file], env);
    assert.equal(inspect.status, 0, inspect.stderr);
    assert.match(inspect.stdout, /matrix file \(valid\), 2 rows/);

    // Arrow, yargs and zod are inside the bundle: no chunk loads them from node_modules; yargs still finds its messages
    const chunks = readdirSync(join(cache, made[0])).map((f) => readFileSync(join(cache, made[0], f), 'utf8')).join('\n');
    for (const name of ['apache-arrow', 'yargs', 'zod']) {
      assert.doesNotMatch(chunks, new RegExp(`(from |import\\(|require\\()"[^"]*node_modules/${name}/`), `${name} bundled`);
    }
    assert.match(chunks, /from "file:[^"]*node_modules\/@tensorflow\/tfjs\//, 'TensorFlow.js stays outside');
    const unknown = launch(['inspect', file, '--bogus'], env);
    assert.equal(unknown.status, 2, 'a usage error');
    assert.match(unknown.stderr, /Unknown argument: bogus/);

    const again = launch(['--version'], env);
    assert.equal(again.status, 0, again.stderr);
    assert.deepEqual(readdirSync(cache).filter((f) => f !== 'm.arrow'), made, 'the same bundle');
    assert.equal(statSync(entry).mtimeMs, builtAt, 'not made again');

    const sources = mkdtempSync(join(tmpdir(), 'cli-bundle-off-'));
    try {
      const viaTsx = launch(['--version'], { ELASTICITY_BUNDLE: '0', ELASTICITY_BUNDLE_CACHE: sources });
      assert.equal(viaTsx.status, 0, viaTsx.stderr);
      assert.equal(viaTsx.stdout.trim(), VERSION);
      assert.deepEqual(readdirSync(sources), [], 'no bundle made');
    } finally {
      rmSync(sources, { recursive: true, force: true });
    }
  } finally {
    rmSync(cache, { recursive: true, force: true });
  }
});
