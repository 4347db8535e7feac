import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { processAlive } from '@elasticity/core/light';

/** The id of the live runner holding the lock file, or undefined (no file, or its process has ended). */
export function lockHolder(file: string): number | undefined {
  let pid: number;
  try {
    pid = Number(readFileSync(file, 'utf8').trim());
  } catch {
    return undefined;
  }
  return Number.isInteger(pid) && pid > 0 && pid !== process.pid && processAlive(pid) ? pid : undefined;
}

/**
 * Takes the lock file for this process (its id in the file), so that two
 * runners never fill one results folder at once; a file left by a runner
 * that has ended is taken over. Released when the process exits.
 */
export function takeLock(file: string): void {
  const holder = lockHolder(file);
  if (holder !== undefined) throw new Error(`another suite runner (pid ${holder}) is filling this results folder (lock ${file}); stop it with \`kill ${holder}\` or wait for it`);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, `${process.pid}\n`);
  process.on('exit', () => {
    if (lockHolder(file) === undefined) rmSync(file, { force: true });
  });
}
