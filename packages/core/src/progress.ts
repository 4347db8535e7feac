import cliProgress from 'cli-progress';
import { createLogger } from './log.ts';

/**
 * Progress of a stage step that takes more than a couple of seconds, on
 * stderr. On a terminal (not under CI) it is a bar drawn in place; anywhere
 * else (a log file, CI, a stage that `elasticity run` runs through Nx) it is
 * a plain log line every few seconds, `[LABEL] DONE/TOTAL (P%), S s, about
 * R s left`, with no cursor movement.
 */
export interface Progress {
  tick(by?: number): void;
  stop(): void;
}

/** Seconds between two progress lines without a terminal (ELASTICITY_PROGRESS_SECONDS overrides). */
export const PROGRESS_LINE_SECONDS = 10;

export function createProgress(label: string, total: number): Progress {
  if (!(total > 0)) return { tick: () => {}, stop: () => {} };
  return process.stderr.isTTY === true && !process.env.CI ? progressBar(label, total) : progressLines(label, total);
}

function progressBar(label: string, total: number): Progress {
  const bar = new cliProgress.SingleBar(
    { format: `${label} [{bar}] {percentage}% {value}/{total} eta {eta}s`, stream: process.stderr, hideCursor: true },
    cliProgress.Presets.shades_classic,
  );
  bar.start(total, 0);
  let done = 0;
  return {
    tick: (by = 1) => {
      done += by;
      bar.update(done);
    },
    stop: () => bar.stop(),
  };
}

function progressLines(label: string, total: number): Progress {
  const log = createLogger(label);
  const configured = Number(process.env.ELASTICITY_PROGRESS_SECONDS);
  const every = (Number.isFinite(configured) && configured >= 0 ? configured : PROGRESS_LINE_SECONDS) * 1000;
  const started = performance.now();
  let last = started;
  let done = 0;
  return {
    tick: (by = 1) => {
      done += by;
      const now = performance.now();
      if (now - last < every || done >= total) return;
      last = now;
      log.info(progressLine(done, total, (now - started) / 1000));
    },
    stop: () => {},
  };
}

/** "DONE/TOTAL (P%), S s, about R s left": R by the rate so far. */
export function progressLine(done: number, total: number, seconds: number): string {
  const left = (seconds / done) * (total - done);
  return `${done}/${total} (${Math.floor((100 * done) / total)}%), ${duration(seconds)}, about ${duration(left)} left`;
}

function duration(seconds: number): string {
  if (seconds < 90) return `${seconds.toFixed(seconds < 10 ? 1 : 0)} s`;
  const minutes = seconds / 60;
  return minutes < 90 ? `${minutes.toFixed(1)} min` : `${(minutes / 60).toFixed(1)} h`;
}
