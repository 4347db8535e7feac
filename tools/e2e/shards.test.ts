import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { readMatrixFile } from '@elasticity/core';
import { scratchWorkspace, cli } from './workspace.ts';

const BASE = {
  dataset: { source: 'mnist-sample', primary: [4, 9], auxiliary: [5, 7], perClass: 12, testPerClass: 3, seed: 0 },
  train: { model: 'MLPNet', width: 16, epochs: 2, batch: 8, seed: 0 },
  probe: { kinds: ['relative', 'kernelized'], eta: 0.001 },
  ntk: {},
  similarity: { baselines: [] },
  cluster: { seeds: 1, restarts: 2, methods: [{ input: 'ntk', method: 'kernel-kmeans' }] },
  report: {},
};

test('probe and NTK shards run as separate Nx tasks, resume from finished shards, and merge into the unsharded result', { timeout: 300_000 }, async (t) => {
  const sharded = { ...BASE, probe: { ...BASE.probe, shards: 2 }, ntk: { shards: 3 } };
  const ws = await scratchWorkspace(t, { whole: BASE, split: sharded });
  // An interrupted run that finished only the first probe shard...
  const nx = spawnSync(process.execPath, ['node_modules/nx/dist/bin/nx.js', 'run', 'split:probe-shard-0', '--outputStyle=static'], {
    cwd: ws, encoding: 'utf8', env: { ...process.env, NX_DAEMON: 'false', NX_TUI: 'false' },
  });
  assert.equal(nx.status, 0, nx.stdout + nx.stderr);
  // ...is resumed: that shard comes from the cache, the others run.
  const split = cli(ws, ['run', 'split']);
  assert.equal(split.status, 0, split.stderr + split.stdout);
  assert.match(split.stdout, /split:probe-shard-0 +\[local cache\]/);
  assert.doesNotMatch(split.stdout, /split:probe-shard-1 +\[local cache\]/);
  for (const t of ['probe-shard-1', 'ntk-shard-0', 'ntk-shard-1', 'ntk-shard-2']) assert.match(split.stdout, new RegExp(`nx run split:${t}`));
  const whole = cli(ws, ['run', 'whole']);
  assert.equal(whole.status, 0, whole.stderr);
  for (const file of ['probe/relative.arrow', 'probe/kernelized.arrow', 'ntk/ntk.arrow']) {
    const a = (await readMatrixFile(join(ws, 'data/whole', file))).matrix;
    const b = (await readMatrixFile(join(ws, 'data/split', file))).matrix;
    assert.deepEqual(b.rowIds, a.rowIds, file);
    assert.deepEqual(b.values, a.values, file);
  }
});
