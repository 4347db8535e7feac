import cliProgress from 'cli-progress';

/**
 * A progress bar on stderr for stage steps that take more than a couple of
 * seconds. It only draws on a terminal (and never under CI), so logs stay clean.
 */
export interface Progress {
  tick(by?: number): void;
  stop(): void;
}

export function createProgress(label: string, total: number): Progress {
  const draw = process.stderr.isTTY === true && !process.env.CI && total > 0;
  if (!draw) return { tick: () => {}, stop: () => {} };
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
