import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createProgress, progressLine } from './progress.ts';

test('a progress line gives the count, the percentage, the time so far and the time left at the rate so far', () => {
  // 250 of 1000 in 12 s: 0.048 s each, 750 left -> 36 s.
  assert.equal(progressLine(250, 1000, 12), '250/1000 (25%), 12 s, about 36 s left');
  // 1 of 3 in 2 s -> 4 s left; the percentage is rounded down, never 100% before the end.
  assert.equal(progressLine(1, 3, 2), '1/3 (33%), 2.0 s, about 4.0 s left');
  assert.equal(progressLine(999, 1000, 100), '999/1000 (99%), 1.7 min, about 0.1 s left');
  // 10 of 100 in 10 min -> 90 min = 1.5 h left.
  assert.equal(progressLine(10, 100, 600), '10/100 (10%), 10.0 min, about 1.5 h left');
});

test('without a terminal, progress is log lines on stderr: one per interval, none for the last tick', () => {
  const written: string[] = [];
  const write = process.stderr.write;
  const isTTY = process.stderr.isTTY;
  const seconds = process.env.ELASTICITY_PROGRESS_SECONDS;
  process.stderr.write = ((chunk: string) => written.push(String(chunk)) > 0) as typeof process.stderr.write;
  process.stderr.isTTY = false;
  process.env.ELASTICITY_PROGRESS_SECONDS = '0';
  try {
    const progress = createProgress('probe', 3);
    progress.tick();
    progress.tick();
    progress.tick();
    progress.stop();
  } finally {
    process.stderr.write = write;
    process.stderr.isTTY = isTTY;
    if (seconds === undefined) delete process.env.ELASTICITY_PROGRESS_SECONDS;
    else process.env.ELASTICITY_PROGRESS_SECONDS = seconds;
  }
  assert.equal(written.length, 2, written.join(''));
  assert.match(written[0], /^\[probe\] 1\/3 \(33%\), \d+\.\d s, about \d+\.\d s left\n$/);
  assert.match(written[1], /^\[probe\] 2\/3 \(66%\)/);
  assert.ok(written.every((line) => !line.includes('\x1b') && !line.includes('\r')), 'no cursor movement');
});
