/**
 * A matrix suite on one worker against two workers that share one remote
 * cache (issue #17.5), all on this machine, each worker one process with
 * `--parallel 1` (one core), each a copy of the workspace (its own copy of
 * the code) with an empty local Nx cache of its own, the cache server on
 * 127.0.0.1:
 *
 * 1. one worker: `elasticity run NAME --partition 1/1 --parallel 1` (every
 *    stage; its uploads go to a fresh server, as a worker's would);
 * 2. two workers at once, against another fresh server: `--partition 1/2`
 *    and `--partition 2/2`, each `--parallel 1`; the wall time is until both
 *    have finished;
 * 3. the assemble step: `elasticity run NAME` in a third clone with an empty
 *    local cache, from the warm server of 2 (every stage a remote hit, then
 *    the combined report).
 *
 * The suite (SUITE below, pipeline "bench/shared-cache"): 4 MNIST pairs of
 * the embedded sample x 2 models (MLPNet with squared loss, MLPProb with
 * BCE), 100 + 100 primary examples per pair, width 256, 5 epochs, relative
 * and kernelized probes, 3 clusterings: 4 data sets and 8 x 5 later stages,
 * 44 tasks. `--pipeline NAME [--only axis=label,...]` runs a pipeline of this
 * workspace instead (e.g. paper/mnist-table1 --only scale=quick,data=sample).
 *
 *   node --import tsx tools/bench/shared-cache.ts [--pipeline NAME] [--only FILTER]
 *
 * writes tools/bench/results/shared-cache.json (with the load average before
 * and after: the numbers mean something on a quiet machine).
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createLogger, writeFileAtomic } from '@elasticity/core';
import { partitionCombos, planPipeline, readPipeline, parseComboFilter, selectCombos } from '@elasticity/pipeline';
import { startCacheServer } from '@elasticity/remote-cache';
import type { CacheServer } from '@elasticity/remote-cache';
import { REPO, Removals } from '../e2e/workspace.ts';
import { runOutcomes, runWorker, sameCodeCopies } from '../e2e/shared-cache-worker.ts';
import type { WorkerRun } from '../e2e/shared-cache-worker.ts';

const here = dirname(fileURLToPath(import.meta.url));
const log = createLogger('bench');
const TOKEN = 'bench-shared-cache-token-0123456789';

const PAIRS: Record<string, { primary: number[]; auxiliary: number[] }> = {
  '4v9': { primary: [4, 9], auxiliary: [5, 7] },
  '5v8': { primary: [5, 8], auxiliary: [9, 3] },
  '7v9': { primary: [7, 9], auxiliary: [5, 4] },
  '5v9': { primary: [5, 9], auxiliary: [8, 4] },
};
const SUITE = {
  description: 'tools/bench/shared-cache.ts: 4 pairs x 2 models on the embedded MNIST sample, 100 + 100 primary examples, width 256, 5 epochs',
  matrix: {
    pair: Object.fromEntries(Object.entries(PAIRS).map(([label, p]) => [label, { 'dataset.primary': p.primary, 'dataset.auxiliary': p.auxiliary }])),
    model: { 'relu-mse': { 'train.model': 'MLPNet', 'train.loss': 'mse' }, 'relu-bce': { 'train.model': 'MLPProb', 'train.loss': 'bce' } },
  },
  dataset: { source: 'mnist-sample', perClass: 100, testPerClass: 20, seed: 0 },
  train: { width: 256, epochs: 5, batch: 50, lr: 0.003, seed: 0 },
  probe: { kinds: ['relative', 'kernelized'], eta: 'authors' },
  similarity: { use: ['relative', 'kernelized'], baselines: ['raw'] },
  cluster: {
    k: 2, seeds: 2, restarts: 2,
    methods: [{ input: 'raw', method: 'kmeans' }, { input: 'relative', method: 'kmeans' }, { input: 'kernelized', method: 'kernel-kmeans' }],
  },
  report: {},
};

function option(name: string): string | undefined {
  const at = process.argv.indexOf(name);
  return at >= 0 ? process.argv[at + 1] : undefined;
}

async function withServer<T>(fn: (server: CacheServer) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), 'bench-shared-cache-store-'));
  const server = await startCacheServer({ port: 0, dir, token: TOKEN, log: () => {} });
  try {
    return await fn(server);
  } finally {
    await server.close();
    await rm(dir, { recursive: true, force: true });
  }
}

function checked(what: string, run: WorkerRun): WorkerRun {
  if (run.status !== 0) throw new Error(`${what} exited with ${run.status}:\n${run.stderr}\n${run.stdout}`);
  const { ran, remote, local } = runOutcomes(run.stdout);
  log.info(`${what}: ${run.seconds} s, tasks run ${ran.length}, remote hits ${remote.length}, local hits ${local.length}`);
  return run;
}

const summary = (run: WorkerRun) => {
  const { ran, remote } = runOutcomes(run.stdout);
  return { wall_s: run.seconds, tasks_run: ran.length, remote_hits: remote.length };
};

async function main(): Promise<void> {
  const name = option('--pipeline') ?? 'bench/shared-cache';
  const only = option('--only');
  const body = option('--pipeline') ? JSON.parse(await readFile(join(REPO, 'pipelines', `${name}.json`), 'utf8')) : SUITE;
  const filterArgs = only ? ['--only', only] : [];
  const loadBefore = loadavg();
  const removals = new Removals();
  try {
    // The machines (1 worker, 2 workers, the assembling one): copies of one state of this checkout's code.
    const [first, a, b, assembler] = await sameCodeCopies(removals, 4, { [name]: body });
    const pipeline = readPipeline(join(first, 'pipelines', `${name}.json`));
    const combos = selectCombos(planPipeline(pipeline), parseComboFilter(only, pipeline.matrix ?? [], pipeline.file));
    const plannedParts = partitionCombos(combos, 2);
    const instances = new Set(combos.flatMap((c) => Object.values(c.instances))).size;
    log.info(`${name}${only ? ` (${only})` : ''}: ${combos.length} combinations, ${instances} stage instances; parts of ${plannedParts.map((p) => p.instances.length).join(' and ')} instances`);

    const one = await withServer(async (server) => checked('1 worker', await runWorker(first, ['run', name, '--partition', '1/1', '--parallel', '1', ...filterArgs], { url: server.url, token: TOKEN })));

    const { parts, wall, assemble } = await withServer(async (server) => {
      const remote = { url: server.url, token: TOKEN };
      const started = performance.now();
      const runs = await Promise.all([1, 2].map((i) => runWorker(i === 1 ? a : b, ['run', name, '--partition', `${i}/2`, '--parallel', '1', ...filterArgs], remote)));
      const wallSeconds = Number(((performance.now() - started) / 1000).toFixed(2));
      runs.forEach((run, i) => checked(`part ${i + 1}/2`, run));
      const last = checked('assemble', await runWorker(assembler, ['run', name, '--parallel', '2', ...filterArgs], remote));
      return { parts: runs, wall: wallSeconds, assemble: last };
    });

    const result = {
      pipeline: { name, only: only ?? null, description: (body as { description?: string }).description ?? null, combinations: combos.length, stage_instances: instances },
      machine: { cpus: cpus().length, model: cpus()[0]?.model, node: process.version, backend: 'wasm', loadavg_before: loadBefore, loadavg_after: loadavg() },
      one_worker: summary(one),
      two_workers: {
        wall_s: wall,
        speedup: Number((one.seconds / wall).toFixed(2)),
        parts: parts.map((run, i) => ({ part: `${i + 1}/2`, planned_instances: plannedParts[i].instances.length, shared_with_earlier: plannedParts[i].sharedWithEarlier.map((x) => x.folder), ...summary(run) })),
      },
      assemble_from_warm_remote_cache: summary(assemble),
    };
    const file = join(here, 'results', 'shared-cache.json');
    await writeFileAtomic(file, `${JSON.stringify(result, null, 2)}\n`);
    log.info(`1 worker ${one.seconds} s, 2 workers ${wall} s (${result.two_workers.speedup}x), assemble ${assemble.seconds} s; wrote ${file}`);
  } finally {
    await removals.removeAll();
  }
}

await main();
