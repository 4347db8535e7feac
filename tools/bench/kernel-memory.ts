/**
 * Benchmark of kernels beyond memory: pipelines/bench/kernel-memory.json
 * (the empirical NTK of a trained MLPNet, width 4096, over the primary
 * points of the torus, ntk.memoryMb 4096) at 10,000 and 40,000 primary
 * points. Each stage runs as the pipeline runs it (`elasticity STAGE
 * --pipeline FILE`, its own process) under GNU time, which gives its wall
 * time and peak resident memory (worker threads included). At 10,000 the
 * NTK also runs whole (ntk.memoryMb 16384: one block, as before budgets
 * existed), timed beside the blocked run, and the two files are compared. Every NTK file is then read back block by block: its rows,
 * its record batches, and the symmetry of the kernel on 10,000 random pairs.
 *
 *   node --import tsx tools/bench/kernel-memory.ts                  # writes tools/bench/results/kernel-memory.json
 *   node --import tsx tools/bench/kernel-memory.ts --sizes 2000     # a small run (its own JSON) to check the script
 *
 * The JSON is rewritten after every run (`complete: false` until the last).
 */
import { mkdtempSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRng, readMatrixBlocks, readMatrixFile, writeFileAtomic } from '@elasticity/core';
import { rowRelativeError } from '@elasticity/core/testing';
import { ROOT, measuredOn, runTimedStage } from './timed-stage.ts';
import type { StageRecord } from './timed-stage.ts';

const PIPELINE = join(ROOT, 'pipelines/bench/kernel-memory.json');
const DEFAULT_SIZES = [10_000, 40_000];
/** The size at which the kernel is also computed whole (one block, within a budget that holds it), for comparison. */
const COMPARED_SIZE = 10_000;
const WHOLE_BUDGET_MB = 16_384;

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

interface SizeRecord {
  primary_points: number;
  ingest: StageRecord;
  train: StageRecord;
  ntk: NtkRecord;
  /** At 10,000: the same kernel whole (ntk.memoryMb 16384, one block), and the largest row-relative difference of the two files. */
  ntk_whole?: NtkRecord;
  blocks_vs_whole_row_relative_error?: number;
}

function argValue(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

/** A copy of the benchmark pipeline with `points` draws and the NTK's budget set. */
function pipelineFile(points: number, memoryMb: number | undefined, dir: string): string {
  const json = JSON.parse(readFileSync(PIPELINE, 'utf8')) as { dataset: { synthetic: { points: number } }; ntk: { memoryMb: number }; $schema?: string };
  json.dataset.synthetic.points = points;
  if (memoryMb !== undefined) json.ntk.memoryMb = memoryMb;
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
      configuration: 'pipelines/bench/kernel-memory.json: empirical NTK (closed form, precision "auto": float32 products summed in float64 at these sizes) of a trained MLPNet (width 4096, 2 epochs of SGD lr 1e-4, batch 100, MSE) over the primary points of the torus, ntk.memoryMb ' + budget,
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
      const file = pipelineFile(n, undefined, dir);
      process.stderr.write(`\n=== ${n} primary points ===\n`);
      const { log: _i, ...ingest } = runTimedStage('ingest', file, ['--data', data]);
      const { log: _t, ...train } = runTimedStage('train', file, ['--data', data]);
      const record: SizeRecord = { primary_points: n, ingest, train, ntk: await runNtk(file, data, n, budget) };
      process.stderr.write(`=== ntk at ${n}: ${record.ntk.seconds} s, peak RSS ${record.ntk.peak_rss_mb} MB, ${record.ntk.record_batches} record batches ===\n`);
      if (n === COMPARED_SIZE || !standard) {
        const blocked = join(dir, 'ntk-blocks.arrow');
        renameSync(join(data, 'kernel-memory', 'ntk', 'ntk.arrow'), blocked);
        record.ntk_whole = await runNtk(pipelineFile(n, WHOLE_BUDGET_MB, dir), data, n, WHOLE_BUDGET_MB);
        const a = (await readMatrixFile(blocked)).matrix.values;
        const b = (await readMatrixFile(join(data, 'kernel-memory', 'ntk', 'ntk.arrow'))).matrix.values;
        record.blocks_vs_whole_row_relative_error = rowRelativeError(a, b, n, n);
        process.stderr.write(`=== whole at ${n}: ${record.ntk_whole.seconds} s, peak RSS ${record.ntk_whole.peak_rss_mb} MB, ${record.ntk_whole.record_batches} record batches; blocks vs whole ${record.blocks_vs_whole_row_relative_error} ===\n`);
      }
      records.push(record);
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
