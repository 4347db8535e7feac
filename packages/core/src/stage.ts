import { relative } from 'node:path';
import { sha256File } from './hash.ts';
import { checkInputChain } from './input-chain.ts';
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
}

/**
 * Runs one stage: hashes its inputs, checks that they agree with each other
 * (checkInputChain), gives it a staging folder, and publishes
 * the folder only if the stage finishes. Errors propagate unchanged.
 */
export async function runStage<T>(request: StageRequest, work: (ctx: StageContext) => Promise<T>): Promise<T> {
  const log = createLogger(request.stage);
  const started = performance.now();
  // Inside the staging run: a missing or stale input also removes the stage's old output.
  const result = await withStagingDir(request.outDir, async (dir) => {
    const inputs: Record<string, string> = {};
    for (const file of request.inputFiles) inputs[relative(process.cwd(), file)] = await sha256File(file);
    await checkInputChain(inputs);
    return work({ dir, meta: { stage: request.stage, params: request.params, seed: request.seed, inputs }, log });
  });
  log.info(`done in ${((performance.now() - started) / 1000).toFixed(1)} s -> ${relative(process.cwd(), request.outDir)}`);
  return result;
}
