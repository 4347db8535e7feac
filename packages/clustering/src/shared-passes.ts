import type { Pass, RowSource, Rows, RowVisitor } from './matrix-rows.ts';

/** Values handed to every waiting task before the next rows (256 KB of float64): they stay in the core's cache. */
const CHUNK_VALUES = 2 ** 15;

/**
 * Runs tasks that each read the rows in passes, sharing the passes: a pass
 * over the source starts when every unfinished task waits for one, and
 * serves them all, so the source is read as many times as the task that
 * needs the most passes reads it, not the sum over tasks (for a file: the
 * restarts of every seed iterate together). The tasks see each block a few
 * rows at a time, in row order. Rows in memory (sharePasses false) are
 * not shared: the tasks run one after another, each with its arrays in
 * cache, as fast as before files existed. Each task sees the rows as if
 * alone, so its result is the one it gets alone. The first failure fails
 * every task.
 */
export async function runSharingPasses<T>(source: RowSource, tasks: Array<(rows: Rows) => Promise<T>>): Promise<T[]> {
  if (!source.sharePasses) {
    const results: T[] = [];
    for (const task of tasks) results.push(await task(source));
    return results;
  }
  let active = tasks.length;
  let waiting: Array<{ visit: RowVisitor; resolve: () => void; reject: (error: unknown) => void }> = [];
  let running = false;
  let failure: unknown;
  const start = (): void => {
    if (running || waiting.length === 0 || waiting.length < active) return;
    running = true;
    const batch = waiting;
    waiting = [];
    const { dim } = source;
    // A few rows at a time to every task, so that they share the rows while in cache (a file's block may be GBs).
    const chunk = Math.max(1, Math.floor(CHUNK_VALUES / dim));
    source.pass((values, from, to) => {
      for (let at = from; at < to; at += chunk) {
        const end = Math.min(to, at + chunk);
        const rows = values.subarray((at - from) * dim, (end - from) * dim);
        for (const w of batch) w.visit(rows, at, end);
      }
    }).then(() => {
      running = false;
      for (const w of batch) w.resolve();
    }, (error: unknown) => {
      running = false;
      failure ??= error;
      for (const w of batch) w.reject(error);
    });
  };
  const pass: Pass = (visit) => new Promise<void>((resolve, reject) => {
    if (failure !== undefined) {
      reject(failure);
      return;
    }
    waiting.push({ visit, resolve, reject });
    start();
  });
  const rows: Rows = { n: source.n, dim: source.dim, pass };
  return Promise.all(tasks.map(async (task) => {
    try {
      return await task(rows);
    } catch (error) {
      failure ??= error;
      for (const w of waiting.splice(0)) w.reject(error);
      throw error;
    } finally {
      active--;
      start();
    }
  }));
}
