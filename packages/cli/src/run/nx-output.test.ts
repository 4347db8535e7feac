import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { NxOutputFilter, pipeLines } from './nx-output.ts';

/** Lines as Nx 23.3 printed them (run-many, NX_STREAM_OUTPUT=true, no output style named). */
function filtered(lines: string[]): { kept: string[]; end: string[] } {
  const filter = new NxOutputFilter();
  const kept = lines.map((l) => filter.line(l)).filter((l): l is string => l !== undefined);
  return { kept, end: filter.end() };
}

const BANNER = ['', ' NX   Running target c for project proj and 2 tasks it depends on:', '', '- proj', '', ''];
const REPORT = ['', '  Run duration:      1.8s', '  Cache:             2/3 hit (67%)', '  Critical path:     1.7s (3 tasks)', '  Recoverable time:  <1ms'];

test('a cached run keeps one line per cached task and Nx\'s cache summary, nothing else', () => {
  const { kept, end } = filtered([
    ...BANNER,
    '✔  nx run proj:a  [existing outputs match the cache, left as is]',
    '✔  nx run proj:b  [local cache]',
    '✔  nx run proj:c  [local cache]',
    '', '', '',
    ' NX   Successfully ran target c for project proj and 2 tasks it depends on',
    '',
    'Nx read the output from the cache instead of running the command for 3 out of 3 tasks.',
    '',
    'Output of 3 successful tasks were not shown. Run with --verbose or --output-style=static to see it.',
    ...REPORT,
    ' NX   Nx detected a flaky task',
    '  proj:b',
    'Flaky tasks can disrupt your CI pipeline. Automatically retry them with Nx Cloud. Learn more at https://nx.dev/ci/features/flaky-tasks',
  ]);
  assert.deepEqual(kept, [
    '✔  nx run proj:a  [existing outputs match the cache, left as is]',
    '✔  nx run proj:b  [local cache]',
    '✔  nx run proj:c  [local cache]',
    'Nx read the output from the cache instead of running the command for 3 out of 3 tasks.',
  ]);
  assert.deepEqual(end, []);
});

test('a run with no cache hit keeps the tasks\' headers and streamed lines, and Nx\'s "Successfully ran" at the end', () => {
  const { kept, end } = filtered([
    ...BANNER,
    '> nx run proj:a', '', '> node proj/step.js a\r', '\r', '[a] done pipe', '',
    '> nx run proj:b', '', '> node proj/step.js b\r', '\r', '[b] done pipe', '',
    ' NX   Successfully ran target c for project proj and 1 task it depends on',
    ...REPORT,
    '', '  Recommendations:', '    - Speed up or split the longest tasks on the critical path:', '        proj:b     16.6s', '        proj:a     11.6s',
  ]);
  assert.deepEqual(kept, ['> nx run proj:a', '[a] done pipe', '> nx run proj:b', '[b] done pipe']);
  assert.deepEqual(end, [' NX   Successfully ran target c for project proj and 1 task it depends on']);
});

test('a failure keeps the stage\'s own lines and Nx\'s list of failed and skipped tasks', () => {
  const { kept } = filtered([
    '[c] working',
    'error: pipelines/p.json: cluster.k: must be at least 2',
    '', '',
    'Warning: command "node packages/cli/src/bin.ts cluster --pipeline pipelines/p.json" exited with non-zero status code',
    ' NX   Running target d for project proj and 3 tasks it depends on failed',
    '',
    'Tasks not run because their dependencies failed or --nx-bail=true:',
    '- proj:d',
    'Failed tasks:',
    '',
    '- proj:c',
    '',
    'Hint: run the command with --verbose for more details.',
  ]);
  assert.deepEqual(kept, [
    '[c] working',
    'error: pipelines/p.json: cluster.k: must be at least 2',
    ' NX   Running target d for project proj and 3 tasks it depends on failed',
    'Tasks not run because their dependencies failed or --nx-bail=true:',
    '- proj:d',
    'Failed tasks:',
    '- proj:c',
  ]);
});

test('colours do not hide a line from the filter, and kept lines keep them', () => {
  const { kept } = filtered(['\x1b[2m> node proj/step.js a\x1b[22m', '\x1b[32m✔\x1b[39m  nx run proj:a  \x1b[2m[local cache]\x1b[22m', 'proj/probe-1a2b: [probe] 10/30 (33%), 2.0 s, about 4.0 s left']);
  assert.deepEqual(kept, ['\x1b[32m✔\x1b[39m  nx run proj:a  \x1b[2m[local cache]\x1b[22m', 'proj/probe-1a2b: [probe] 10/30 (33%), 2.0 s, about 4.0 s left']);
});

test('pipeLines splits chunks into lines, whatever the chunk boundaries, and writes a last unterminated line at the end', async () => {
  const input = new PassThrough();
  const output = new PassThrough();
  let text = '';
  output.on('data', (d) => { text += d; });
  const end = pipeLines(input, (line) => (line.startsWith('drop') ? undefined : line.toUpperCase()), output);
  for (const chunk of ['ab', 'c\ndro', 'p me\nx\n\n', 'tail']) input.write(chunk);
  await new Promise((resolve) => setImmediate(resolve));
  end();
  assert.equal(text, 'ABC\nX\n\nTAIL\n');
});
