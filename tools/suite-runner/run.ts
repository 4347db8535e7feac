/**
 * The background runner of a long matrix suite, for runs that outlast a
 * session:
 *
 *   node --import tsx tools/suite-runner/run.ts PIPELINE --only FILTER --results DIR [--log FILE] [--detach]
 *
 * runs the combinations of PIPELINE that FILTER selects and that have no
 * DIR/<combination id>.json yet, one at a time, each as `elasticity run
 * PIPELINE --only <that combination>` (stages cached by Nx as ever), and
 * writes each one's results file as soon as it has run (what `elasticity
 * run --results DIR` writes). Run it from the workspace root, as
 * `elasticity run`. Progress lines with UTC times, and each run's own
 * output, go to the log (default data/suite-runs/<DIR>.log).
 * `--detach` starts it as a process of its own session, which goes on when
 * the terminal or session that started it ends; it prints the process id
 * (`kill PID` stops it and the combination that is running). Run it again
 * to continue: combinations with a file are skipped. It commits nothing.
 */
import { spawn } from 'node:child_process';
import { closeSync, mkdirSync, openSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { combinationFile, writeCombinationResults } from '@elasticity/cli';
import { parseComboFilter, planPipeline, readPipeline, resolvePipelineFile, selectCombos, DEFAULT_DATA_ROOT } from '@elasticity/pipeline';
import type { PipelinePlan } from '@elasticity/pipeline';
import { startCombination } from './run-combination.ts';
import { lockHolder, takeLock } from './runner-lock.ts';
import { openSuiteLog } from './suite-log.ts';
import { runSuite } from './suite-runner.ts';
import type { SuiteCombination } from './suite-runner.ts';

const USAGE = 'usage: node --import tsx tools/suite-runner/run.ts PIPELINE --only FILTER --results DIR [--log FILE] [--detach]';

function fail(message: string): never {
  process.stderr.write(`error: ${message}\n${USAGE}\n`);
  process.exit(2);
}

const { values, positionals } = (() => {
  try {
    return parseArgs({
      allowPositionals: true,
      options: { only: { type: 'string' }, results: { type: 'string' }, log: { type: 'string' }, detach: { type: 'boolean', default: false } },
    });
  } catch (error) {
    return fail((error as Error).message);
  }
})();
if (positionals.length !== 1) fail('name one pipeline');
if (values.results === undefined) fail('--results DIR: the folder of the combinations\' results files');

// The workspace is the working directory, as for `elasticity run`: pipelines/, data/ and the results folder are read from it.
const workspace = process.cwd();
const resultsDir = resolve(values.results);
const runsName = relative(workspace, resultsDir).replace(/[\\/]+/g, '_').replace(/^[._]+/, '') || 'results';
const logFile = resolve(values.log ?? join(DEFAULT_DATA_ROOT, 'suite-runs', `${runsName}.log`));
const lockFile = resolve(DEFAULT_DATA_ROOT, 'suite-runs', `${runsName}.pid`);

/** The suite: the matrix pipeline's plan, the filter, and each selected combination with the --only that selects exactly it. */
function readSuite(name: string, only: string | undefined): { plan: PipelinePlan; filter: Record<string, string>; combos: SuiteCombination[] } {
  try {
    const pipeline = readPipeline(resolvePipelineFile(name));
    if (!pipeline.matrix) return fail(`${name} has no matrix: the runner runs the combinations of a matrix pipeline`);
    const plan = planPipeline(pipeline);
    const filter = parseComboFilter(only, pipeline.matrix, pipeline.file);
    const combos = selectCombos(plan, filter).map((c) => ({ id: c.id, only: Object.entries(c.labels).map(([axis, label]) => `${axis}=${label}`).join(',') }));
    if (combos.length === 0) return fail(`no combination of ${name} matches --only ${only}`);
    return { plan, filter, combos };
  } catch (error) {
    return fail((error as Error).message);
  }
}

const pipelineName = positionals[0];
const { plan, filter, combos } = readSuite(pipelineName, values.only);

const holder = lockHolder(lockFile);
if (holder !== undefined) fail(`a suite runner (pid ${holder}) is already filling ${relative(workspace, resultsDir)}; stop it with \`kill ${holder}\` or wait for it`);

if (values.detach) {
  // The same command without --detach, in a session of its own, its stdout and stderr appended to the log.
  mkdirSync(dirname(logFile), { recursive: true });
  const fd = openSync(logFile, 'a');
  const args = process.argv.slice(2).filter((a) => a !== '--detach');
  const child = spawn(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), ...args], { cwd: workspace, detached: true, stdio: ['ignore', fd, fd] });
  closeSync(fd);
  child.unref();
  process.stdout.write(`suite runner started in the background: pid ${child.pid}\nprogress: tail -f ${relative(workspace, logFile)}\nstop: kill ${child.pid}\n`);
  process.exit(0);
}

takeLock(lockFile);
const log = openSuiteLog(logFile, { echo: process.stdout.isTTY === true });
log.progress(`pid ${process.pid}: ${pipelineName}${values.only ? ` --only ${values.only}` : ''} -> ${relative(workspace, resultsDir)}`);
let current: { stop: () => void } | undefined;
let signal: string | undefined;
for (const name of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.on(name, () => {
    if (name === 'SIGHUP') return; // a session ending is no reason to stop
    signal = name;
    log.progress(`${name}: stopping the combination that runs, then the runner`);
    current?.stop();
  });
}

const byId = new Map(plan.combos.map((c) => [c.id, c]));
const outcome = await runSuite({
  combos,
  fileOf: (c) => combinationFile(resultsDir, c.id),
  run: async (c) => {
    const started = startCombination(pipelineName, c, log, workspace);
    current = started;
    try {
      return await started.exit;
    } finally {
      current = undefined;
    }
  },
  write: async (c) => {
    const [file] = await writeCombinationResults({ pipeline: plan.pipeline, combos: [byId.get(c.id)!], selection: filter, dataRoot: DEFAULT_DATA_ROOT, resultsDir });
    return relative(workspace, file);
  },
  log,
  stopped: () => signal !== undefined,
});
process.exitCode = outcome.failed.length > 0 || signal !== undefined ? 1 : 0;
