import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { stripVTControlCharacters } from 'node:util';
import { scratchWorkspace, cli, cacheHits } from './workspace.ts';

/** A tiny pipeline whose training lasts a few seconds (400 epochs of about 10 ms), so that its lines can be seen to arrive while it runs. */
const TINY = {
  dataset: { source: 'mnist-sample', primary: [4, 9], auxiliary: [5, 7], perClass: 15, testPerClass: 5, seed: 0 },
  train: { model: 'MLPNet', width: 16, epochs: 400, batch: 10, lr: 0.003, seed: 0 },
  similarity: { use: [], baselines: ['raw'] },
  cluster: { k: 2, seeds: 1, restarts: 1, methods: [{ input: 'raw', method: 'kmeans' }] },
  report: {},
};
const STAGES = ['ingest', 'train', 'similarity', 'cluster', 'report'];

interface Line {
  stream: 'stdout' | 'stderr';
  /** Milliseconds after the command started. */
  at: number;
  text: string;
}

/** `npm start` in `cwd` (it runs `elasticity run default`), every line of its output with the time it arrived. */
function npmStart(cwd: string, extra: string[] = []): Promise<{ status: number; lines: Line[] }> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn('npm', ['start', ...(extra.length ? ['--', ...extra] : [])], { cwd, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ELASTICITY_BACKEND: 'cpu' } });
    const lines: Line[] = [];
    for (const stream of ['stdout', 'stderr'] as const) {
      let pending = '';
      child[stream].setEncoding('utf8');
      child[stream].on('data', (chunk: string) => {
        const at = performance.now() - started;
        pending += chunk;
        let newline: number;
        while ((newline = pending.indexOf('\n')) >= 0) {
          lines.push({ stream, at, text: stripVTControlCharacters(pending.slice(0, newline)) });
          pending = pending.slice(newline + 1);
        }
      });
    }
    child.on('error', reject);
    child.on('close', (code) => resolve({ status: code ?? 1, lines }));
  });
}

const show = (lines: Line[]) => lines.map((l) => `${l.stream} ${Math.round(l.at)} ${l.text}`).join('\n');
/** npm's own header ("> local-elasticity@0.1.0 start", "> node … run default"), npm's own warnings and blank lines are not the command's output. */
const output = (lines: Line[]) => lines.filter((l) => l.text.trim() !== '' && !l.text.startsWith('> local-elasticity@') && !l.text.startsWith('> node ') && !l.text.startsWith('npm warn '));
/** The lines before the results table (its title line names the pipeline's data set). */
const beforeTable = (lines: Line[]) => {
  const title = lines.findIndex((l) => /^default: .* \(\d+\.\d s\)$/.test(l.text));
  assert.ok(title >= 0, `no results table:\n${show(lines)}`);
  return lines.slice(0, title);
};

test('npm start shows a stage\'s lines while it runs; the second, cached, npm start prints one line per stage plus the table; a broken pipeline file elsewhere is one warning', { timeout: 600_000 }, async (t) => {
  const ws = await scratchWorkspace(t, { default: TINY });

  const first = await npmStart(ws);
  assert.equal(first.status, 0, show(first.lines));
  const firstEpoch = first.lines.find((l) => l.text.startsWith('[train] epoch 1/400:'));
  const trainDone = first.lines.find((l) => l.text.startsWith('[train] done in'));
  assert.ok(firstEpoch && trainDone, show(first.lines));
  // Nx's static output printed a task's lines all at once when it ended; streamed, the first
  // epoch arrives while the other 29 run.
  assert.ok(trainDone.at - firstEpoch.at >= 500, `epoch 1 at ${firstEpoch.at} ms, done at ${trainDone.at} ms:\n${show(first.lines)}`);
  const decoration = output(first.lines).filter((l) => /^\s*(Run duration|Critical path|Recoverable time):|^> node |^\s*NX\s+Running target/.test(l.text));
  assert.deepEqual(decoration, [], 'Nx\'s decoration is filtered');
  assert.equal(cacheHits(first.lines.map((l) => l.text).join('\n')).fromCache, 0);

  await writeFile(join(ws, 'pipelines', 'broken.json'), '{ "dataset": {');
  const second = await npmStart(ws);
  assert.equal(second.status, 0, show(second.lines));
  const shown = beforeTable(output(second.lines));
  const warnings = shown.filter((l) => /broken\.json/.test(l.text));
  assert.equal(warnings.length, 1, show(second.lines));
  assert.match(warnings[0].text, /^\[pipelines\] warn: .*pipelines\/broken\.json: not valid JSON .*left out/);
  const rest = shown.filter((l) => !warnings.includes(l));
  for (const stage of STAGES) {
    assert.equal(rest.filter((l) => new RegExp(`nx run default:${stage}\\b.*(cache|left as is)`).test(l.text)).length, 1, `one line for cached ${stage}:\n${show(second.lines)}`);
  }
  assert.ok(rest.length <= STAGES.length + 1, `at most one line per cached stage and Nx's summary:\n${show(rest)}`);
  assert.deepEqual(cacheHits(rest.map((l) => l.text).join('\n')), { fromCache: STAGES.length, total: STAGES.length });

  // --verbose replays the cached stages' logs.
  const verbose = await npmStart(ws, ['--verbose']);
  assert.equal(verbose.status, 0, show(verbose.lines));
  assert.ok(verbose.lines.some((l) => l.text.includes('[train] epoch 400/400')), show(verbose.lines));
});

test('run with a name that is no pipeline lists the pipelines there are', async (t) => {
  const ws = await scratchWorkspace(t, { default: TINY, 'other-one': TINY });
  const r = cli(ws, ['run', 'nosuch']);
  assert.equal(r.status, 1);
  assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
  assert.match(r.stderr, /^error: .*pipelines\/nosuch\.json: no pipeline "nosuch"; the pipelines are: default, other-one\n$/);
});
