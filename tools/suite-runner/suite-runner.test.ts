import { test } from 'node:test';
import type { TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { withTempDir } from '@elasticity/core/testing';
import { formatDuration, openSuiteLog } from './suite-log.ts';
import { runSuite } from './suite-runner.ts';
import type { SuiteCombination } from './suite-runner.ts';

const COMBOS: SuiteCombination[] = ['5v8.relu-mse', '5v8.relu-bce', '4v9.relu-mse', '4v9.relu-bce'].map((id) => {
  const [pair, model] = id.split('.');
  return { id, only: `pair=${pair},model=${model}` };
});

/**
 * A results folder (removed when the test `t` ends), a log, and a fake
 * `elasticity run` that records what it ran, calls `during` while it runs,
 * and exits with the given codes.
 */
function setup(t: TestContext, exitCodes: Record<string, number> = {}, during: (id: string, fileOf: (c: SuiteCombination) => string) => void = () => {}) {
  const dir = mkdtempSync(join(tmpdir(), 'suite-runner-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const fileOf = (c: SuiteCombination) => join(dir, `${c.id}.json`);
  const ran: string[] = [];
  const lines: string[] = [];
  let now = 0;
  return {
    dir, fileOf, ran, lines,
    options: {
      combos: COMBOS,
      fileOf,
      run: async (c: SuiteCombination) => {
        ran.push(c.only);
        during(c.id, fileOf);
        now += 90;
        return exitCodes[c.id] ?? 0;
      },
      write: async (c: SuiteCombination) => {
        writeFileSync(fileOf(c), '{}\n');
        return fileOf(c);
      },
      log: { progress: (text: string) => void lines.push(text) },
      clock: () => now,
    },
  };
}

test('runs only the combinations without a results file, one at a time, and writes each one\'s file', async (t) => {
  const s = setup(t);
  writeFileSync(s.fileOf(COMBOS[1]), '{}\n');
  const outcome = await runSuite(s.options);
  assert.deepEqual(s.ran, ['pair=5v8,model=relu-mse', 'pair=4v9,model=relu-mse', 'pair=4v9,model=relu-bce']);
  assert.deepEqual(outcome, { done: ['5v8.relu-mse', '4v9.relu-mse', '4v9.relu-bce'], skipped: ['5v8.relu-bce'], failed: [] });
  assert.ok(COMBOS.every((c) => existsSync(s.fileOf(c))));
  assert.equal(s.lines[0], '4 combinations, 1 with results already, 3 to run one at a time');
  assert.equal(s.lines[1], 'start 5v8.relu-mse (1 of 4): --only pair=5v8,model=relu-mse');
  assert.equal(s.lines[2], `done 5v8.relu-mse in 1 min 30 s: ${s.fileOf(COMBOS[0])}`);
  assert.equal(s.lines.at(-1), 'finished in 4 min 30 s: 3 run, 1 had results, 0 failed');

  // A second runner over the same folder (the next session) has nothing left to do.
  const again = setup(t);
  const outcome2 = await runSuite({ ...again.options, fileOf: s.fileOf });
  assert.deepEqual(again.ran, []);
  assert.equal(outcome2.skipped.length, 4);
});

test('a failed combination writes no file and the runner goes on; a file that appears meanwhile is not run twice', async (t) => {
  // While 5v8.relu-mse runs, another run (say `elasticity run --results`) writes 4v9.relu-mse's file.
  const s = setup(t, { '5v8.relu-bce': 1 }, (id, fileOf) => {
    if (id === '5v8.relu-mse') writeFileSync(fileOf(COMBOS[2]), '{}\n');
  });
  const outcome = await runSuite(s.options);
  assert.deepEqual(outcome, { done: ['5v8.relu-mse', '4v9.relu-bce'], skipped: ['4v9.relu-mse'], failed: ['5v8.relu-bce'] });
  assert.equal(existsSync(s.fileOf(COMBOS[1])), false);
  assert.ok(s.lines.includes('failed 5v8.relu-bce after 1 min 30 s (exited with 1); going on with the next'), s.lines.join('\n'));
  assert.match(s.lines.at(-1)!, /2 run, 1 had results, 1 failed \(5v8\.relu-bce: run the runner again to retry them\)$/);
});

test('a write that fails counts as a failure; a stop request ends the runner before the next combination', async (t) => {
  const s = setup(t);
  let stop = false;
  const outcome = await runSuite({
    ...s.options,
    write: async (c) => {
      if (c.id === '5v8.relu-mse') throw new Error('report results.json: file not found');
      stop = true;
      writeFileSync(s.fileOf(c), '{}\n');
      return s.fileOf(c);
    },
    stopped: () => stop,
  });
  assert.deepEqual(outcome, { done: ['5v8.relu-bce'], skipped: [], failed: ['5v8.relu-mse'] });
  assert.ok(s.lines.includes('stopped before 4v9.relu-mse'), s.lines.join('\n'));
});

test('the log: every line stamped with its UTC time, the runner\'s own lines told from a run\'s output', async () => {
  await withTempDir('suite-log-', async (dir) => {
    const file = join(dir, 'runs', 'x.log');
    const log = openSuiteLog(file, { now: () => new Date(Date.UTC(2026, 11, 7, 6, 45, 3, 500)) });
    log.progress('start 5v8.relu-mse (1 of 4)');
    log.output('[train] epoch 1/200');
    assert.equal(readFileSync(file, 'utf8'), '2026-12-07T06:45:03Z runner: start 5v8.relu-mse (1 of 4)\n2026-12-07T06:45:03Z   | [train] epoch 1/200\n');
  });
  assert.deepEqual([formatDuration(42), formatDuration(200), formatDuration(7500)], ['42.0 s', '3 min 20 s', '2 h 05 min']);
});
