/**
 * What the stage benchmarks share: one stage run as the pipeline runs it
 * (`elasticity STAGE --pipeline FILE`, its own process) under GNU time, and
 * the commit and machine a result was measured on.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '../..');
const GNU_TIME = '/usr/bin/time';

export interface StageRecord {
  stage: string;
  /** Wall seconds, to 0.1 s. */
  seconds: number;
  /** Peak resident memory, worker threads included. */
  peak_rss_mb: number;
}

/** Runs one stage under GNU time (its log echoed to stderr); throws when it fails. `args`: further CLI options (e.g. --data DIR). */
export function runTimedStage(stage: string, pipelineFile: string, args: string[] = []): StageRecord & { log: string } {
  const timeDir = mkdtempSync(join(tmpdir(), 'bench-stage-time-'));
  const timeFile = join(timeDir, 'time.txt');
  try {
    const child = spawnSync(GNU_TIME, ['-f', '%e %M', '-o', timeFile, process.execPath, '--import', 'tsx', 'packages/cli/src/bin.ts', stage, '--pipeline', pipelineFile, ...args], {
      cwd: ROOT, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024, env: { ...process.env, CI: 'true' },
    });
    const log = `${child.stdout}${child.stderr}`;
    process.stderr.write(log);
    if (child.status !== 0) throw new Error(`stage ${stage} failed (exit ${child.status}); its log is above`);
    const [seconds, kb] = readFileSync(timeFile, 'utf8').trim().split(/\s+/).map(Number);
    return { stage, seconds: Number(seconds.toFixed(1)), peak_rss_mb: Math.round(kb / 1024), log };
  } finally {
    rmSync(timeDir, { recursive: true, force: true });
  }
}

/** The commit and the machine, for a result's JSON. */
export function measuredOn(): { git_commit: string; node: string; cpus: number; cpu_model: string; memory_gb: number } {
  let commit = 'unknown';
  try {
    commit = execFileSync('git', ['rev-parse', 'HEAD'], { cwd: ROOT, encoding: 'utf8' }).trim();
  } catch {
    // not a git checkout
  }
  return { git_commit: commit, node: process.version, cpus: cpus().length, cpu_model: cpus()[0]?.model ?? 'unknown', memory_gb: Math.round(totalmem() / 2 ** 30) };
}
