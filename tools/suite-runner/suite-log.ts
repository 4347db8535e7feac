import { appendFileSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';

/** A log file of a long run: every line prefixed with its UTC time, appended at once (nothing is lost when the process dies). */
export interface SuiteLog {
  file: string;
  /** "2026-12-07T06:45:00Z runner: TEXT": the runner's own progress. */
  progress(text: string): void;
  /** "2026-12-07T06:45:00Z   | TEXT": a line of a combination's own output. */
  output(text: string): void;
}

/** ISO 8601 to the second, UTC. */
export function timestamp(date: Date): string {
  return `${date.toISOString().slice(0, 19)}Z`;
}

export function openSuiteLog(file: string, options: { now?: () => Date; echo?: boolean } = {}): SuiteLog {
  const now = options.now ?? (() => new Date());
  mkdirSync(dirname(file), { recursive: true });
  const write = (line: string) => {
    appendFileSync(file, `${line}\n`);
    if (options.echo) process.stdout.write(`${line}\n`);
  };
  return {
    file,
    progress: (text) => write(`${timestamp(now())} runner: ${text}`),
    output: (text) => write(`${timestamp(now())}   | ${text}`),
  };
}

/** "42.0 s", "3 min 20 s", "2 h 05 min". */
export function formatDuration(seconds: number): string {
  if (seconds < 60) return `${seconds.toFixed(1)} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min ${String(Math.floor(seconds % 60)).padStart(2, '0')} s`;
  return `${Math.floor(minutes / 60)} h ${String(minutes % 60).padStart(2, '0')} min`;
}
