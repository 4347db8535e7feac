import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { createRng } from '@elasticity/core';
import { scratchWorkspace, cli, REPO } from './workspace.ts';
import { checkStageOutput, listFiles } from './stage-output.ts';

const PIPELINE = {
  dataset: { source: 'mnist-sample', primary: [4, 9], auxiliary: [5, 7], perClass: 40, testPerClass: 5, seed: 0 },
  train: { model: 'MLPNet', width: 64, epochs: 6, batch: 10, seed: 0 },
  probe: { kinds: ['relative', 'kernelized'], eta: 'authors' },
  ntk: {},
  similarity: { baselines: ['raw', 'pca'], pcaComponents: 5 },
  cluster: { seeds: 3, restarts: 3 },
  report: {},
};
const STAGES = ['ingest', 'train', 'probe', 'ntk', 'similarity', 'cluster', 'report'];

/** Starts a stage and kills it with SIGKILL after `ms`; resolves when it is gone. */
function killAfter(ws: string, stage: string, ms: number): Promise<string> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(REPO, 'packages/cli/src/bin.ts'), stage, '--pipeline', 'p'], { cwd: ws, stdio: 'ignore' });
    const timer = setTimeout(() => child.kill('SIGKILL'), ms);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      resolve(signal ?? `exit ${code}`);
    });
  });
}

test('kill -9 at random points of every stage leaves either no output or a complete one, and the stage then re-runs cleanly', { timeout: 600_000 }, async (t) => {
  const ws = await scratchWorkspace(t, { p: PIPELINE });
  const reference: Record<string, string[]> = {};
  const seconds: Record<string, number> = {};
  for (const stage of STAGES) {
    const t0 = performance.now();
    const r = cli(ws, [stage, '--pipeline', 'p']);
    assert.equal(r.status, 0, `${stage}: ${r.stderr}`);
    seconds[stage] = (performance.now() - t0) / 1000;
    reference[stage] = await listFiles(join(ws, 'data/p', stage));
  }
  const rng = createRng(7);
  const outcomes: string[] = [];
  for (let k = 0; k < 22; k++) {
    const stage = STAGES[k % STAGES.length];
    // A run can finish before its kill when the machine is faster than during the
    // reference run: then try again with half the delay, so every round lands a kill.
    let ms = Math.round(rng.uniform(0.15, 0.9) * seconds[stage] * 1000);
    let how = await killAfter(ws, stage, ms);
    for (let attempt = 0; how !== 'SIGKILL' && attempt < 4; attempt++) {
      assert.equal(how, 'exit 0', `${stage} ended with ${how} before its kill`);
      ms = Math.round(ms / 2);
      how = await killAfter(ws, stage, ms);
    }
    outcomes.push(`${stage}@${ms}ms:${how}`);
    const dir = join(ws, 'data/p', stage);
    if (existsSync(dir)) {
      // Whatever is there must be a whole, valid output, never a partial one.
      assert.deepEqual(await listFiles(dir), reference[stage], `${stage} after kill at ${ms} ms`);
      await checkStageOutput(dir);
    }
    // The next run succeeds, restores the output, and cleans up after the killed one.
    const again = cli(ws, [stage, '--pipeline', 'p']);
    assert.equal(again.status, 0, `${stage} re-run: ${again.stderr}`);
    assert.deepEqual(await listFiles(dir), reference[stage]);
    assert.deepEqual((await readdir(join(ws, 'data/p'))).filter((n) => n.startsWith(`.${stage}.tmp-`)), [], 'abandoned staging folders removed');
  }
  assert.ok(outcomes.every((o) => o.endsWith('SIGKILL')), outcomes.join(' '));
});
