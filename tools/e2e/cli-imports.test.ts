import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { withTempDir } from '@elasticity/core/testing';
import { REPO, scratchWorkspace } from './workspace.ts';

const RECORDER = join(REPO, 'tools/e2e/record-loads.mjs');
const STAGE_PACKAGES = ['datasets', 'training', 'probing', 'ntk', 'similarity', 'clustering', 'report', 'mlp-engine'];

/**
 * What `elasticity ARGS` loads: the workspace packages (by folder) and npm
 * packages whose modules it resolved, and whether it loaded core's main entry.
 */
function loads(cwd: string, args: string[]): Promise<{ workspace: Set<string>; npm: Set<string>; coreMain: boolean }> {
  return withTempDir('loads-', async (dir) => {
    const log = join(dir, 'urls.txt');
    const r = spawnSync(process.execPath, ['--import', 'tsx', '--import', RECORDER, join(REPO, 'packages/cli/src/bin.ts'), ...args], {
      cwd, encoding: 'utf8', env: { ...process.env, RECORD_LOADS: log, ELASTICITY_BACKEND: 'cpu' },
    });
    assert.equal(r.status, 0, `elasticity ${args.join(' ')}: ${r.stderr}`);
    const urls = (await readFile(log, 'utf8')).split('\n').filter((u) => u.startsWith('file://'));
    const workspace = new Set(urls.flatMap((u) => /\/packages\/([^/]+)\/src\//.exec(u)?.[1] ?? []));
    const npm = new Set(urls.flatMap((u) => /\/node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(u)?.[1] ?? []));
    return { workspace, npm, coreMain: urls.some((u) => u.endsWith('/packages/core/src/index.ts')) };
  });
}

const HEAVY_NPM = ['apache-arrow', 'zod', '@tensorflow/tfjs', '@tensorflow/tfjs-core', 'vega', 'vega-lite'];

test('help and version load no stage package, no Arrow, zod or TensorFlow.js', { timeout: 180_000 }, async () => {
  for (const args of [['--help'], ['--version'], ['cluster', '--help'], ['inspect', '--help'], ['run', '--help']]) {
    const { workspace, npm, coreMain } = await loads(REPO, args);
    assert.deepEqual(STAGE_PACKAGES.filter((p) => workspace.has(p)), [], `elasticity ${args.join(' ')}`);
    assert.deepEqual(HEAVY_NPM.filter((p) => npm.has(p)), [], `elasticity ${args.join(' ')}`);
    assert.equal(coreMain, false, `elasticity ${args.join(' ')} loads core's main entry`);
  }
});

test('a stage loads its own package and no other stage\'s; only a stage that runs a model loads TensorFlow.js', { timeout: 300_000 }, async (t) => {
  const ws = await scratchWorkspace(t, {
    tiny: {
      dataset: { source: 'mnist-sample', primary: [4, 9], auxiliary: [5, 7], perClass: 10, testPerClass: 4, seed: 0 },
      train: { model: 'MLPNet', width: 8, epochs: 1, batch: 10, seed: 0 },
      similarity: { use: [], baselines: ['raw'] },
      cluster: { k: 2, seeds: 1, restarts: 1, methods: [{ input: 'raw', method: 'kmeans' }] },
    },
  });
  const own: Record<string, string> = { ingest: 'datasets', train: 'training', similarity: 'similarity', cluster: 'clustering' };
  for (const [stage, pkg] of Object.entries(own)) {
    const { workspace, npm } = await loads(ws, [stage, '--pipeline', 'tiny']);
    assert.ok(workspace.has(pkg), `${stage} loads ${pkg}`);
    assert.deepEqual(STAGE_PACKAGES.filter((p) => p !== pkg && workspace.has(p)), [], `${stage} loads another stage's package`);
    assert.equal(npm.has('@tensorflow/tfjs'), stage === 'train', `${stage}: TensorFlow.js loaded = ${npm.has('@tensorflow/tfjs')}`);
  }
});
