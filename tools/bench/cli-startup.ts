/**
 * Start-up of the `elasticity` command (issues #15 and #19): the median over
 * several runs of
 *
 * - node alone, and node with tsx's loader (what every TypeScript process pays);
 * - `--help`, `--version` and a command's `--help`, to exit, through the
 *   launchers people and Nx use (goal: 0.5 s);
 * - each stage, from process start to the line it logs when its package is
 *   loaded and its work begins (`[STAGE] debug: started …`, ELASTICITY_LOG=debug)
 *   and to its first line of its own (goal: 0.7 s for the stages that load
 *   no TensorFlow.js), on a tiny pipeline in a scratch workspace.
 *
 *   node --import tsx tools/bench/cli-startup.ts [--runs 7]
 *
 * writes tools/bench/results/cli-startup.json. Wall times mean something on
 * a quiet machine (the load average before and after is recorded); the CPU
 * time of each process (all threads, from cpu-at-exit.mjs and the stage's
 * debug line) is steadier on a busy one.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createLogger, writeFileAtomic } from '@elasticity/core';
import { REPO, Removals, scratchWorkspace } from '../e2e/workspace.ts';
import type { Cleanup } from '../e2e/workspace.ts';

const here = dirname(fileURLToPath(import.meta.url));
const log = createLogger('bench');
const CPU_RECORDER = join(here, 'cpu-at-exit.mjs');

/** How `elasticity` is started: through tsx (the sources, as tests run them), and the package's bin (npx elasticity, the npm scripts and the Nx stage targets: a bundle of the sources, packages/cli/bin/bundle.mjs). */
const LAUNCHERS: Record<string, string[]> = {
  'node --import tsx packages/cli/src/bin.ts': ['--import', 'tsx', join(REPO, 'packages/cli/src/bin.ts')],
  'node packages/cli/bin/elasticity.js': [join(REPO, 'packages/cli/bin/elasticity.js')],
};
const BASELINES: Record<string, string[]> = {
  'node -e ""': ['-e', ''],
  'node --import tsx -e ""': ['--import', 'tsx', '-e', ''],
  'node --import tsx/esm -e ""': ['--import', 'tsx/esm', '-e', ''],
};
const HELP = [['--help'], ['--version'], ['inspect', '--help'], ['run', '--help'], ['cluster', '--help']];

/** A tiny pipeline whose stages each take well under a second of work. */
const PIPELINE = {
  dataset: { source: 'synthetic', synthetic: { shape: 'torus', points: 30 }, seed: 0 },
  train: { model: 'MLPNet', width: 16, epochs: 2, batch: 20, seed: 0 },
  similarity: { use: [], baselines: ['raw', 'pca'], pcaComponents: 2 },
  cluster: { k: 2, seeds: 1, restarts: 1, methods: [{ input: 'raw', method: 'kmeans' }, { input: 'pca', method: 'kmeans' }] },
  report: {},
};
/** The stages in the order they run, and whether each loads TensorFlow.js. */
const STAGES: [stage: string, tfjs: boolean][] = [['ingest', false], ['train', true], ['similarity', false], ['cluster', false], ['report', false]];

interface Timing {
  /** Seconds from spawn to exit. */
  exit: number;
  /** CPU seconds of the process (all threads) until exit. */
  cpu: number;
  /** CPU seconds until the marker line, when it states them ("…, S s of CPU"). */
  markerCpu?: number;
  /** Seconds from spawn to the first stderr line matching the marker, if any. */
  marker?: number;
  /** Seconds from spawn to the first stderr line of the stage's own (not debug, not the backend's). */
  firstLine?: number;
  code: number;
}

async function timeRun(args: string[], cwd: string, env: NodeJS.ProcessEnv = {}, marker?: RegExp, own?: RegExp): Promise<Timing> {
  const folder = await mkdtemp(join(tmpdir(), 'cpu-'));
  const cpuFile = join(folder, 'cpu.txt');
  try {
    const timing = await spawnTimed(['--import', CPU_RECORDER, ...args], cwd, { ...env, CPU_AT_EXIT: cpuFile }, marker, own);
    return { ...timing, cpu: Number(Number(await readFile(cpuFile, 'utf8')).toFixed(3)) };
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
}

function spawnTimed(args: string[], cwd: string, env: NodeJS.ProcessEnv, marker?: RegExp, own?: RegExp): Promise<Omit<Timing, 'cpu'>> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const seconds = () => Number(((performance.now() - started) / 1000).toFixed(3));
    const child = spawn(process.execPath, args, { cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'pipe'] });
    const timing: Partial<Omit<Timing, 'cpu'>> = {};
    let pending = '';
    let stderr = '';
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => {
      const at = seconds();
      stderr += chunk;
      pending += chunk;
      let newline: number;
      while ((newline = pending.indexOf('\n')) >= 0) {
        const line = pending.slice(0, newline);
        pending = pending.slice(newline + 1);
        if (marker && timing.marker === undefined && marker.test(line)) {
          timing.marker = at;
          const cpu = /, (\d+\.\d+) s of CPU$/.exec(line);
          if (cpu) timing.markerCpu = Number(cpu[1]);
        }
        if (own && timing.firstLine === undefined && own.test(line)) timing.firstLine = at;
      }
    });
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) reject(new Error(`node ${args.join(' ')} exited with ${code}: ${stderr}`));
      else resolve({ ...timing, exit: seconds(), code: code ?? 1 });
    });
  });
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return Number((sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2).toFixed(3));
}

interface Row {
  what: string;
  launcher: string;
  /** Wall seconds from spawn to exit. */
  median_s: number;
  min_s: number;
  runs_s: number[];
  /** CPU seconds of the process (all threads). */
  cpu_median_s: number;
}

async function timeCommand(what: string, launcher: string, args: string[], cwd: string, runs: number): Promise<Row> {
  const timings: Timing[] = [];
  for (let i = 0; i < runs; i++) timings.push(await timeRun(args, cwd));
  const times = timings.map((t) => t.exit);
  const row = { what, launcher, median_s: median(times), min_s: Math.min(...times), runs_s: times, cpu_median_s: median(timings.map((t) => t.cpu)) };
  log.info(`${what} (${launcher}): median ${row.median_s} s, min ${row.min_s} s; CPU ${row.cpu_median_s} s`);
  return row;
}

interface StageRow {
  stage: string;
  loads_tfjs: boolean;
  launcher: string;
  /** Process start to "[STAGE] debug: started": the stage's package loaded, its work begins. */
  to_work_median_s: number;
  /** CPU seconds (all threads) spent until then. */
  cpu_to_work_median_s: number;
  /** Process start to the stage's first line of its own. */
  to_first_line_median_s: number;
  /** Process start to exit (the tiny pipeline's work included). */
  to_exit_median_s: number;
  runs: Timing[];
}

/** `cleanup` removes the scratch workspace the commands run in. */
async function main(cleanup: Cleanup): Promise<void> {
  const args = process.argv.slice(2);
  const runsAt = args.indexOf('--runs');
  const runs = runsAt >= 0 ? Number(args[runsAt + 1]) : 7;
  const loadBefore = loadavg();
  const ws = await scratchWorkspace(cleanup, { tiny: PIPELINE });

  // (the launcher makes its bundle on its first start after a change: not timed)
  await timeRun([...LAUNCHERS['node packages/cli/bin/elasticity.js'], '--version'], ws);
  const commands: Row[] = [];
  for (const [what, baseline] of Object.entries(BASELINES)) commands.push(await timeCommand(what, '', baseline, ws, runs));
  for (const help of HELP) {
    for (const [launcher, start] of Object.entries(LAUNCHERS)) commands.push(await timeCommand(`elasticity ${help.join(' ')}`, launcher, [...start, ...help], ws, runs));
  }

  const stages: StageRow[] = [];
  for (const [launcher, start] of Object.entries(LAUNCHERS)) {
    for (const [stage, tfjs] of STAGES) {
      const stageArgs = [...start, stage, '--pipeline', 'tiny', '--backend', 'cpu'];
      await timeRun(stageArgs, ws); // makes the inputs of the stages after it (not timed)
      const timings: Timing[] = [];
      const marker = new RegExp(`^\\[${stage}\\] debug: started `);
      const own = new RegExp(`^\\[${stage}\\] (?!debug:)`);
      for (let i = 0; i < runs; i++) timings.push(await timeRun(stageArgs, ws, { ELASTICITY_LOG: 'debug' }, marker, own));
      const row: StageRow = {
        stage, loads_tfjs: tfjs, launcher,
        to_work_median_s: median(timings.map((t) => t.marker ?? NaN)),
        cpu_to_work_median_s: median(timings.map((t) => t.markerCpu ?? NaN)),
        to_first_line_median_s: median(timings.map((t) => t.firstLine ?? NaN)),
        to_exit_median_s: median(timings.map((t) => t.exit)),
        runs: timings,
      };
      log.info(`${stage} (${launcher}): work begins after ${row.to_work_median_s} s (${row.cpu_to_work_median_s} s of CPU), first line ${row.to_first_line_median_s} s, exit ${row.to_exit_median_s} s (median of ${runs})`);
      stages.push(row);
    }
  }

  const result = {
    machine: { cpus: cpus().length, model: cpus()[0]?.model, node: process.version, loadavg_before: loadBefore, loadavg_after: loadavg() },
    runs,
    goals: { help_s: 0.5, stage_without_tfjs_to_first_line_s: 0.7 },
    commands,
    stages,
  };
  const file = join(here, 'results', 'cli-startup.json');
  await writeFileAtomic(file, `${JSON.stringify(result, null, 2)}\n`);
  log.info(`wrote ${file}`);
}

const removals = new Removals();
try {
  await main(removals);
} finally {
  await removals.removeAll();
}
