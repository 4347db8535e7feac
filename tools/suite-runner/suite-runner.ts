import { existsSync } from 'node:fs';
import { formatDuration } from './suite-log.ts';
import type { SuiteLog } from './suite-log.ts';

/** One combination of the suite: its id and the --only filter that selects exactly it. */
export interface SuiteCombination {
  id: string;
  only: string;
}

export interface SuiteRunOptions {
  /** The suite's combinations, in the order to run them. */
  combos: SuiteCombination[];
  /** Where a combination's results file is; one that exists is done and skipped. */
  fileOf: (combo: SuiteCombination) => string;
  /** Runs one combination to its end (`elasticity run NAME --only …`); resolves to its exit code. */
  run: (combo: SuiteCombination) => Promise<number>;
  /** Writes the results file of a combination that ran; resolves to its path. */
  write: (combo: SuiteCombination) => Promise<string>;
  log: Pick<SuiteLog, 'progress'>;
  /** Asked before each combination: true stops the runner there (a signal came). */
  stopped?: () => boolean;
  /** Seconds since some origin (default: performance.now() / 1000). */
  clock?: () => number;
}

export interface SuiteOutcome {
  /** Ran and wrote their file. */
  done: string[];
  /** Had a file already (before the runner started, or written meanwhile by another run). */
  skipped: string[];
  /** Failed to run or to write; no file, so a later run tries them again. */
  failed: string[];
}

/**
 * Runs the combinations of a suite that have no results file yet, one at a
 * time, and writes each one's file as soon as it has run. Whether a file
 * exists is looked at just before each combination starts, so a file that
 * appeared meanwhile is not run twice. A failure is logged and the runner
 * goes on with the next combination. Commits nothing.
 */
export async function runSuite(options: SuiteRunOptions): Promise<SuiteOutcome> {
  const clock = options.clock ?? (() => performance.now() / 1000);
  const { log } = options;
  const outcome: SuiteOutcome = { done: [], skipped: [], failed: [] };
  const before = options.combos.filter((c) => existsSync(options.fileOf(c))).length;
  const total = options.combos.length;
  log.progress(`${total} ${total === 1 ? 'combination' : 'combinations'}, ${before} with results already, ${total - before} to run one at a time`);
  const started = clock();
  for (const [index, combo] of options.combos.entries()) {
    if (options.stopped?.()) {
      log.progress(`stopped before ${combo.id}`);
      break;
    }
    if (existsSync(options.fileOf(combo))) {
      outcome.skipped.push(combo.id);
      continue;
    }
    log.progress(`start ${combo.id} (${index + 1} of ${options.combos.length}): --only ${combo.only}`);
    const t0 = clock();
    try {
      const code = await options.run(combo);
      if (code !== 0) throw new Error(`exited with ${code}`);
      const written = await options.write(combo);
      outcome.done.push(combo.id);
      log.progress(`done ${combo.id} in ${formatDuration(clock() - t0)}: ${written}`);
    } catch (error) {
      outcome.failed.push(combo.id);
      log.progress(`failed ${combo.id} after ${formatDuration(clock() - t0)} (${(error as Error).message}); going on with the next`);
    }
  }
  const failed = outcome.failed.length > 0 ? ` (${outcome.failed.join(', ')}: run the runner again to retry them)` : '';
  log.progress(`finished in ${formatDuration(clock() - started)}: ${outcome.done.length} run, ${outcome.skipped.length} had results, ${outcome.failed.length} failed${failed}`);
  return outcome;
}
