import { readFile, rm, stat } from 'node:fs/promises';
import { relative } from 'node:path';
import { sha256File } from './hash.ts';
import { checkInputChain } from './input-chain.ts';
import { writeFileAtomic } from './fs/atomic.ts';
import { withStagingDir } from './fs/staging.ts';
import { createLogger } from './log.ts';
import type { Logger } from './log.ts';
import type { StageMeta } from './arrow/metadata.ts';

export interface StageRequest {
  /** Stage name written into every output's metadata (ingest, train, probe, ...). */
  stage: string;
  /** Final output folder; replaced as a whole when the stage succeeds. */
  outDir: string;
  /** The stage's own parameters (its pipeline section). */
  params: Record<string, unknown>;
  seed: number | null;
  /** Files the stage reads; their SHA-256 goes into every output's metadata. */
  inputFiles: string[];
}

export interface StageContext {
  /** Folder to write outputs into (a staging folder renamed to outDir on success). */
  dir: string;
  /** Common metadata for every Arrow file the stage writes. */
  meta: Omit<StageMeta, 'schemaVersion' | 'extra'>;
  log: Logger;
  /**
   * Wall-clock facts the stage wants kept (train: seconds per epoch). They go
   * into the timings file beside the output folder, never into an output.
   */
  timings: Record<string, unknown>;
}

/**
 * What one run of a stage took. Not a stage output: it lives beside the
 * output folder (stageTimingsFile), so Nx neither caches nor hashes it and
 * equal outputs stay equal bytes however long they took.
 */
export interface StageTimings {
  stage: string;
  /** When the stage finished (ISO 8601, UTC). */
  finished: string;
  /** Wall-clock seconds of the whole stage (hashing inputs, work, publishing). */
  seconds: number;
  /** What the stage added (StageContext.timings). */
  [key: string]: unknown;
}

/** The timings file of the stage that writes `outDir`: `<outDir>.timings.json`, beside the folder (not inside: Nx's outputs are the folder). */
export function stageTimingsFile(outDir: string): string {
  return `${outDir.replace(/[/\\]+$/, '')}.timings.json`;
}

/** The timings of the last successful run that wrote `outDir`; undefined when there are none (a run restored from the Nx cache, a file that is not ours). */
export async function readStageTimings(outDir: string): Promise<StageTimings | undefined> {
  try {
    const value = JSON.parse(await readFile(stageTimingsFile(outDir), 'utf8')) as StageTimings;
    return value !== null && typeof value === 'object' && typeof value.seconds === 'number' ? value : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Runs one stage: hashes its inputs, checks that they agree with each other
 * (checkInputChain), gives it a staging folder, and publishes
 * the folder only if the stage finishes. Then writes its timings file
 * (stageTimingsFile); a failed run removes it with the output. Errors
 * propagate unchanged.
 */
export async function runStage<T>(request: StageRequest, work: (ctx: StageContext) => Promise<T>): Promise<T> {
  const log = createLogger(request.stage);
  const started = performance.now();
  const timings: Record<string, unknown> = {};
  const timingsFile = stageTimingsFile(request.outDir);
  let result: T;
  try {
    // Inside the staging run: a missing or stale input also removes the stage's old output.
    result = await withStagingDir(request.outDir, async (dir) => {
      // the stage's first line, before its inputs are hashed (seconds for a kernel of many GB)
      const bytes = await Promise.all(request.inputFiles.map((file) => stat(file).then((s) => s.size, () => 0)));
      const mb = bytes.reduce((sum, b) => sum + b, 0) / 2 ** 20;
      log.info(`${request.inputFiles.length} input file${request.inputFiles.length === 1 ? '' : 's'} (${mb < 10 ? mb.toFixed(1) : Math.round(mb)} MB) -> ${relative(process.cwd(), request.outDir)}`);
      const inputs: Record<string, string> = {};
      for (const file of request.inputFiles) inputs[relative(process.cwd(), file)] = await sha256File(file);
      await checkInputChain(inputs);
      return work({ dir, meta: { stage: request.stage, params: request.params, seed: request.seed, inputs }, log, timings });
    });
  } catch (error) {
    await rm(timingsFile, { force: true });
    throw error;
  }
  const seconds = (performance.now() - started) / 1000;
  const record: StageTimings = { stage: request.stage, finished: new Date().toISOString(), seconds, ...timings };
  await writeFileAtomic(timingsFile, `${JSON.stringify(record, null, 2)}\n`);
  log.info(`done in ${seconds.toFixed(1)} s -> ${relative(process.cwd(), request.outDir)}`);
  return result;
}
