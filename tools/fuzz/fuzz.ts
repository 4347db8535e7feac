import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ElasticityError, createRng } from '@elasticity/core';
import { mutate } from './mutate.ts';
import { mutateJson } from './mutate-json.ts';
import { TARGETS } from './targets.ts';
import type { FuzzTarget } from './targets.ts';

export interface FuzzFailure {
  target: string;
  input: number;
  mutations: string[];
  /** 'crash': an error other than one clear ElasticityError naming the file; 'slow': over the time limit. */
  kind: 'crash' | 'slow';
  message: string;
}

export interface FuzzSummary {
  seed: number;
  inputs: number;
  accepted: number;
  clearErrors: number;
  failures: FuzzFailure[];
  perTarget: Record<string, { inputs: number; accepted: number; clearErrors: number; failures: number }>;
  seconds: number;
}

/**
 * Mutates valid inputs of every reader `count` times in all (seeded) and
 * checks each outcome: a valid result, or one ElasticityError whose message
 * names the file. Anything else (TypeError, RangeError, an error that does
 * not name the file, a result after more than `slowMs`) is a failure.
 */
export async function fuzz(options: { count: number; seed: number; slowMs?: number; targets?: FuzzTarget[] }): Promise<FuzzSummary> {
  const rng = createRng(options.seed);
  const targets = options.targets ?? TARGETS;
  const dir = await mkdtemp(join(tmpdir(), 'elasticity-fuzz-'));
  const summary: FuzzSummary = { seed: options.seed, inputs: 0, accepted: 0, clearErrors: 0, failures: [], perTarget: {}, seconds: 0 };
  for (const t of targets) summary.perTarget[t.name] = { inputs: 0, accepted: 0, clearErrors: 0, failures: 0 };
  const started = performance.now();
  try {
    for (let i = 0; i < options.count; i++) {
      const target = targets[i % targets.length];
      const seedBytes = target.seeds[rng.int(0, target.seeds.length - 1)];
      const { bytes, applied } = target.kind === 'json' && rng.next() < 0.7 ? mutateJson(seedBytes, rng) : mutate(seedBytes, rng);
      const file = join(dir, `${target.name}-${i}${target.ext}`);
      await writeFile(file, bytes);
      const stats = summary.perTarget[target.name];
      stats.inputs++;
      summary.inputs++;
      const t0 = performance.now();
      let failure: Omit<FuzzFailure, 'target' | 'input' | 'mutations'> | undefined;
      try {
        await target.read(file);
        stats.accepted++;
        summary.accepted++;
      } catch (error) {
        if (error instanceof ElasticityError && error.message.includes(file)) {
          stats.clearErrors++;
          summary.clearErrors++;
        } else {
          failure = { kind: 'crash', message: `${(error as Error).name}: ${(error as Error).message}`.slice(0, 300) };
        }
      }
      const ms = performance.now() - t0;
      if (!failure && ms > (options.slowMs ?? 5000)) failure = { kind: 'slow', message: `${ms.toFixed(0)} ms` };
      if (failure) {
        stats.failures++;
        summary.failures.push({ target: target.name, input: i, mutations: applied, ...failure });
      }
      await rm(file, { force: true });
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  summary.seconds = (performance.now() - started) / 1000;
  return summary;
}
