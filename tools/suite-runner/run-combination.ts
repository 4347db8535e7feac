import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { constants } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { SuiteLog } from './suite-log.ts';
import type { SuiteCombination } from './suite-runner.ts';

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const CLI = join(REPO, 'packages/cli/src/bin.ts');

/**
 * Runs `elasticity run PIPELINE --only COMBINATION` in the workspace `cwd`
 * (this checkout's CLI), its output lines into the log, and resolves to its exit code (128 + the signal
 * number when a signal ended it). The run is a process group of its own
 * (the CLI, Nx and the stage processes), so that `stop` ends all of it.
 */
export function startCombination(pipeline: string, combo: SuiteCombination, log: Pick<SuiteLog, 'output'>, cwd: string): { exit: Promise<number>; stop: () => void } {
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', CLI, 'run', pipeline, '--only', combo.only], {
    cwd, stdio: ['ignore', 'pipe', 'pipe'], detached: true,
  });
  for (const stream of [child.stdout!, child.stderr!]) createInterface({ input: stream, crlfDelay: Infinity }).on('line', (line) => log.output(line));
  const exit = new Promise<number>((resolveExit, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => resolveExit(code ?? 128 + (signal ? constants.signals[signal] : 0)));
  });
  const stop = () => {
    if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
    try {
      process.kill(-child.pid, 'SIGTERM');
    } catch {
      // The group has ended meanwhile.
    }
  };
  return { exit, stop };
}
