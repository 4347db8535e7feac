/**
 * Benchmark of kernels beyond memory: pipelines/bench/kernel-memory.json
 * (the empirical NTK of a trained MLPNet, width 4096, over the primary
 * points of the torus, ntk.memoryMb 4096; then the similarity and cluster
 * stages with their sections' defaults, similarity.memoryMb and
 * cluster.memoryMb 4096: the NTK symmetrised, kernel K-means with 5 seeds x
 * 10 restarts) at 10,000 and 40,000 primary points. Each stage runs as the
 * pipeline runs it (`elasticity STAGE --pipeline FILE`, its own process)
 * under GNU time, which gives its wall time and peak resident memory
 * (worker threads included); the machine's load averages before each stage
 * are recorded beside it. At 10,000 the NTK, the similarity and the cluster
 * stage also run whole (memoryMb 16384: one block, as before budgets
 * existed), timed beside the blocked runs, and their outputs are compared.
 * Every NTK file is read back block by block: its rows, its record
 * batches, and the symmetry of the kernel on 10,000 random pairs.
 *
 *   node --import tsx tools/bench/kernel-memory.ts                  # writes tools/bench/results/kernel-memory.json
 *   node --import tsx tools/bench/kernel-memory.ts --sizes 2000     # a small run (its own JSON) to check the script
 *
 * The JSON is rewritten after every run (`complete: false` until the last).
 */
import { copyFileSync, mkdtempSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRng, readClustersFile, readMatrixBlocks, readMatrixFile, writeFileAtomic } from '@elasticity/core';
import { rowRelativeError } from '@elasticity/core/testing';
import { ROOT, measuredOn, runTimedStage } from './timed-stage.ts';
import type { StageRecord } from './timed-stage.ts';

const PIPELINE = join(ROOT, 'pipelines/bench/kernel-memory.json');
const DEFAULT_SIZES = [10_000, 40_000];
/** The size at which the kernel is also computed whole (one block, within a budget that holds it), for comparison. */
const COMPARED_SIZE = 10_000;
const WHOLE_BUDGET_MB = 16_384;
/** What else ran on the machine (say so when timing under load: wall times are then not a quiet machine's; peak RSS is unaffected). */
const MACHINE_LOAD = process.env.BENCH_MACHINE_LOAD ?? 'quiet machine (nothing else running)';

interface NtkRecord extends StageRecord {
  memory_mb: number;
  record_batches: number;
  rows: number;
  file_mb: number;
  /** Largest |K_ij - K_ji| / max |K| over 10,000 random pairs. */
  symmetry_error: number;
  /** Largest resident memory of this script while it read the file block by block (readMatrixBlocks). */
  read_back_rss_mb: number;
}

/** A stage after the NTK: its budget, the blocks it read its matrix in (1: whole), and the load averages (1, 5, 15 min) before it. */
interface BudgetedStageRecord extends StageRecord {
  memory_mb: number;
  blocks: number;
  load_before: number[];
}

interface ClusterRecord extends BudgetedStageRecord {
  /** Passes over the similarity file (blocked runs). */
  passes?: number;
  /** Mean accuracy of kernel K-means on the NTK over the seeds. */
  accuracy: number;
}

interface SizeRecord {
  primary_points: number;
  ingest?: StageRecord;
  train?: StageRecord;
  ntk?: NtkRecord;
  /** At 10,000: the same kernel whole (ntk.memoryMb 16384, one block), and the largest row-relative difference of the two files. */
  ntk_whole?: NtkRecord;
  blocks_vs_whole_row_relative_error?: number;
  /** The similarity and cluster stages with their sections' defaults (memoryMb 4096). */
  similarity?: BudgetedStageRecord;
  cluster?: ClusterRecord;
  /** At 10,000: both whole (memoryMb 16384), and whether their outputs equal the blocked runs' (the symmetrised NTK bit for bit; labels and metrics). */
  similarity_whole?: BudgetedStageRecord;
  similarity_blocks_equal_whole?: boolean;
  cluster_whole?: ClusterRecord;
  cluster_blocks_equal_whole?: boolean;
}

function argValue(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

type Budgets = Partial<Record<'ntk' | 'similarity' | 'cluster', number>>;

/** A copy of the benchmark pipeline with `points` draws and the stages' budgets set (a section's default where not given). */
function pipelineFile(points: number, budgets: Budgets, dir: string): string {
  const json = JSON.parse(readFileSync(PIPELINE, 'utf8')) as { dataset: { synthetic: { points: number } }; $schema?: string } & Record<keyof Budgets, { memoryMb?: number }>;
  json.dataset.synthetic.points = points;
  for (const [stage, memoryMb] of Object.entries(budgets) as Array<[keyof Budgets, number]>) json[stage].memoryMb = memoryMb;
  delete json.$schema;
  const file = join(dir, 'kernel-memory.json');
  writeFileSync(file, JSON.stringify(json, null, 2));
  return file;
}

/** Reads an NTK file block by block: rows, record batches, and the symmetry of 10,000 random pairs. */
async function checkNtkFile(file: string, n: number): Promise<Pick<NtkRecord, 'record_batches' | 'rows' | 'symmetry_error' | 'read_back_rss_mb'>> {
  const rng = createRng(1);
  const pairs = Array.from({ length: 10_000 }, () => [Math.floor(rng.next() * n), Math.floor(rng.next() * n)] as const);
  const wanted = new Map<number, number[]>();
  for (const [i, j] of [...pairs, ...pairs.map(([i, j]) => [j, i] as const)]) wanted.set(i, [...(wanted.get(i) ?? []), j]);
  const entry = new Map<string, number>();
  const opened = await readMatrixBlocks(file);
  let rows = 0;
  let batches = 0;
  let largest = 0;
  let rss = process.memoryUsage().rss;
  for await (const block of opened.blocks()) {
    rss = Math.max(rss, process.memoryUsage().rss);
    for (let r = 0; r < block.rowIds.length; r++) {
      const i = rows + r;
      for (let j = 0; j < n; j++) largest = Math.max(largest, Math.abs(block.values[r * n + j]));
      for (const j of wanted.get(i) ?? []) entry.set(`${i},${j}`, block.values[r * n + j]);
    }
    rows += block.rowIds.length;
    batches += 1;
  }
  let symmetry = 0;
  for (const [i, j] of pairs) symmetry = Math.max(symmetry, Math.abs(entry.get(`${i},${j}`)! - entry.get(`${j},${i}`)!));
  return { record_batches: batches, rows, symmetry_error: symmetry / largest, read_back_rss_mb: Math.round(rss / 2 ** 20) };
}

async function runNtk(file: string, data: string, n: number, memoryMb: number): Promise<NtkRecord> {
  const { log: _log, ...record } = runTimedStage('ntk', file, ['--data', data]);
  const ntkFile = join(data, 'kernel-memory', 'ntk', 'ntk.arrow');
  const checked = await checkNtkFile(ntkFile, n);
  const fileMb = Math.round(statSync(ntkFile).size / 2 ** 20);
  return { ...record, memory_mb: memoryMb, file_mb: fileMb, ...checked };
}

const DEFAULT_STAGE_BUDGET_MB = 4096;

/** The number in the stage's log after `pattern` (its first group), or `fallback` when the log has no such line. */
function fromLog(log: string, pattern: RegExp, fallback: number): number {
  const match = pattern.exec(log);
  return match ? Number(match[1]) : fallback;
}

function runSimilarity(file: string, data: string, memoryMb: number): BudgetedStageRecord {
  const load = loadavg().map((v) => Number(v.toFixed(2)));
  const { log, ...record } = runTimedStage('similarity', file, ['--data', data]);
  return { ...record, memory_mb: memoryMb, blocks: fromLog(log, /read in (\d+) blocks/, 1), load_before: load };
}

async function runCluster(file: string, data: string, n: number, memoryMb: number): Promise<ClusterRecord> {
  const load = loadavg().map((v) => Number(v.toFixed(2)));
  const { log, ...record } = runTimedStage('cluster', file, ['--data', data]);
  const metrics = JSON.parse(readFileSync(join(data, 'kernel-memory', 'cluster', 'metrics.json'), 'utf8')) as { results: Array<{ accuracy: { mean: number } }> };
  const rows = fromLog(log, /in blocks of up to (\d+) rows/, 0);
  const passes = fromLog(log, /\((\d+) passes over the file\)/, 0);
  return {
    ...record, memory_mb: memoryMb, blocks: rows > 0 ? Math.ceil(n / rows) : 1, ...(passes > 0 ? { passes } : {}), accuracy: metrics.results[0].accuracy.mean, load_before: load,
  };
}

/** Whether two runs of the cluster stage wrote the same metrics and the same labels. */
async function sameClusters(a: string, b: string): Promise<boolean> {
  const metrics = (dir: string) => JSON.stringify((JSON.parse(readFileSync(join(dir, 'metrics.json'), 'utf8')) as { results: unknown }).results);
  const labels = async (dir: string) => Array.from((await readClustersFile(join(dir, 'ntk-kernel-kmeans.arrow'))).clusters.clusters).join(',');
  return metrics(a) === metrics(b) && (await labels(a)) === (await labels(b));
}

async function main(): Promise<void> {
  const sizes = (argValue('--sizes') ?? DEFAULT_SIZES.join(',')).split(',').map(Number);
  if (!sizes.every((s) => Number.isInteger(s) && s > 0)) throw new Error('--sizes takes positive integers, comma-separated');
  const budget = (JSON.parse(readFileSync(PIPELINE, 'utf8')) as { ntk: { memoryMb: number } }).ntk.memoryMb;
  const standard = sizes.join(',') === DEFAULT_SIZES.join(',');
  const out = join(ROOT, 'tools/bench/results', standard ? 'kernel-memory.json' : `kernel-memory-${sizes.join('-')}.json`);
  const records: SizeRecord[] = [];
  const started = performance.now();
  const write = async (complete: boolean): Promise<void> => {
    await writeFileAtomic(out, `${JSON.stringify({
      benchmark: 'kernel-memory',
      command: `node --import tsx tools/bench/kernel-memory.ts${standard ? '' : ` --sizes ${sizes.join(',')}`}`,
      configuration: 'pipelines/bench/kernel-memory.json: empirical NTK (closed form, precision "auto": float32 products summed in float64 at these sizes) of a trained MLPNet (width 4096, 2 epochs of SGD lr 1e-4, batch 100, MSE) over the primary points of the torus, ntk.memoryMb ' + budget
        + '; then the similarity stage (use ["ntk"]: the NTK symmetrised) and the cluster stage (kernel K-means on it) with their sections\' defaults: similarity.memoryMb 4096, cluster.memoryMb 4096, k 2, 5 seeds x 10 restarts, maxIterations 300'
        + ' (blocks: the row blocks a stage read its matrix in, 1 = whole; at 10,000 each stage also runs whole, memoryMb 16384)',
      machine_load: MACHINE_LOAD,
      load_at_end: loadavg().map((v) => Number(v.toFixed(2))),
      complete,
      sizes: records,
      wall_seconds: Number(((performance.now() - started) / 1000).toFixed(1)),
      ...measuredOn(),
    }, null, 2)}\n`);
  };
  for (const n of sizes) {
    const dir = mkdtempSync(join(tmpdir(), `kernel-memory-${n}-`));
    try {
      const data = join(dir, 'data');
      const file = pipelineFile(n, {}, dir);
      process.stderr.write(`\n=== ${n} primary points ===\n`);
      const record: SizeRecord = { primary_points: n };
      records.push(record);
      const { log: _i, ...ingest } = runTimedStage('ingest', file, ['--data', data]);
      record.ingest = ingest;
      const { log: _t, ...train } = runTimedStage('train', file, ['--data', data]);
      record.train = train;
      // the ingest's geodesic matrix (12.8 GB at 40,000) is read by none of the stages timed here: room on disk for the kernel, its symmetrised copy and the scratch files
      rmSync(join(data, 'kernel-memory', 'ingest', 'geodesic.arrow'), { force: true });
      record.ntk = await runNtk(file, data, n, budget);
      await write(false);
      process.stderr.write(`=== ntk at ${n}: ${record.ntk.seconds} s, peak RSS ${record.ntk.peak_rss_mb} MB, ${record.ntk.record_batches} record batches ===\n`);
      // the similarity and cluster stages as users run them: their sections' defaults
      record.similarity = runSimilarity(file, data, DEFAULT_STAGE_BUDGET_MB);
      await write(false);
      record.cluster = await runCluster(file, data, n, DEFAULT_STAGE_BUDGET_MB);
      await write(false);
      process.stderr.write(`=== similarity at ${n}: ${record.similarity.seconds} s, ${record.similarity.peak_rss_mb} MB; cluster ${record.cluster.seconds} s, ${record.cluster.peak_rss_mb} MB ===\n`);
      if (n === COMPARED_SIZE || !standard) {
        const stage = (name: string) => join(data, 'kernel-memory', name);
        const blocked = join(dir, 'ntk-blocks.arrow');
        renameSync(join(stage('ntk'), 'ntk.arrow'), blocked);
        const similarityBlocks = join(dir, 'similarity-ntk-blocks.arrow');
        renameSync(join(stage('similarity'), 'ntk.arrow'), similarityBlocks);
        const clusterBlocks = join(dir, 'cluster-blocks');
        renameSync(stage('cluster'), clusterBlocks);
        const whole = pipelineFile(n, { ntk: WHOLE_BUDGET_MB, similarity: WHOLE_BUDGET_MB, cluster: WHOLE_BUDGET_MB }, dir);
        record.ntk_whole = await runNtk(whole, data, n, WHOLE_BUDGET_MB);
        const a = (await readMatrixFile(blocked)).matrix.values;
        const b = (await readMatrixFile(join(stage('ntk'), 'ntk.arrow'))).matrix.values;
        record.blocks_vs_whole_row_relative_error = rowRelativeError(a, b, n, n);
        process.stderr.write(`=== whole at ${n}: ${record.ntk_whole.seconds} s, peak RSS ${record.ntk_whole.peak_rss_mb} MB, ${record.ntk_whole.record_batches} record batches; blocks vs whole ${record.blocks_vs_whole_row_relative_error} ===\n`);
        record.similarity_whole = runSimilarity(whole, data, WHOLE_BUDGET_MB);
        const s1 = (await readMatrixFile(similarityBlocks)).matrix.values;
        const s2 = (await readMatrixFile(join(stage('similarity'), 'ntk.arrow'))).matrix.values;
        record.similarity_blocks_equal_whole = s1.length === s2.length && s1.every((v, q) => Object.is(v, s2[q]));
        await write(false);
        record.cluster_whole = await runCluster(whole, data, n, WHOLE_BUDGET_MB);
        record.cluster_blocks_equal_whole = await sameClusters(clusterBlocks, stage('cluster'));
        copyFileSync(join(clusterBlocks, 'metrics.json'), join(dir, 'metrics-blocks.json'));
        process.stderr.write(`=== whole similarity ${record.similarity_whole.seconds} s (equal: ${record.similarity_blocks_equal_whole}); whole cluster ${record.cluster_whole.seconds} s (equal: ${record.cluster_blocks_equal_whole}) ===\n`);
      }
      await write(false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  await write(true);
  process.stdout.write(`${readFileSync(out, 'utf8')}`);
}

main().catch((error: unknown) => {
  process.stderr.write(`error: ${(error as Error).message}\n`);
  process.exitCode = 1;
});
