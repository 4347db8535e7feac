// Runs over several machines, simulated on one (loopback only): a cache server, worker clones with empty
// local caches of their own running partitions of a matrix pipeline, and an assembling clone.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startCacheServer } from '@elasticity/remote-cache';
import { fileHashes } from './stage-output.ts';
import { runOutcomes as outcomes, runWorker as elasticity, sameCodeCopies } from './shared-cache-worker.ts';

const WRITE_TOKEN = 'shared-cache-write-0123456789';
const READ_TOKEN = 'shared-cache-read-0123456789';

/** Two data sets, one model each: the partition 1/2 + 2/2 shares no instance. */
const SUITE = {
  matrix: {
    pair: {
      '4v9': { 'dataset.primary': [4, 9], 'dataset.auxiliary': [5, 7] },
      '3v5': { 'dataset.primary': [3, 5], 'dataset.auxiliary': [8, 9] },
    },
  },
  dataset: { source: 'mnist-sample', perClass: 10, testPerClass: 4, seed: 0 },
  train: { model: 'MLPNet', width: 8, epochs: 1, batch: 10, lr: 0.003, seed: 0 },
  probe: { kinds: ['relative'], eta: 'authors' },
  similarity: { use: ['relative'], baselines: ['raw'] },
  cluster: { k: 2, seeds: 1, restarts: 1, methods: [{ input: 'raw', method: 'kmeans' }, { input: 'relative', method: 'kmeans' }] },
  report: {},
};
const STAGES = ['ingest', 'train', 'probe', 'similarity', 'cluster', 'report'];
const tasksOf = (pair: string) => STAGES.map((s) => `shared/${pair}:${s}`);
const ALL_TASKS = [...tasksOf('4v9'), ...tasksOf('3v5')].sort();

/** Hashes of the stage outputs under data/shared: every stage instance's folder, no timings file, no combined report. */
async function stageOutputs(ws: string): Promise<Record<string, string>> {
  const all = await fileHashes(join(ws, 'data/shared'));
  return Object.fromEntries(Object.entries(all).filter(([file]) => !file.endsWith('.timings.json') && !file.startsWith('matrix-report')));
}

/** The local cache entry (hash) of the task whose outputs hold `folder`, from a clone's Nx cache folder. */
async function entryOf(ws: string, folder: string): Promise<string> {
  const cache = join(ws, '.nx-cache');
  const hashes = (await readdir(cache)).filter((name) => /^\d+$/.test(name));
  const found = hashes.filter((hash) => existsSync(join(cache, hash, 'data/shared', folder)));
  assert.equal(found.length, 1, `one cache entry holds ${folder}: ${found.join(', ')}`);
  return found[0];
}

const storedEntries = async (dir: string) => (await readdir(dir)).filter((name) => /^\d+$/.test(name)).sort();

test('two workers run partitions 1/2 and 2/2 against one cache server; a third clone assembles every stage from it with the same bytes; a wrong token, a read-only token and a corrupted entry cost remote hits, never the run', { timeout: 900_000 }, async (t) => {
  const storeParent = await mkdtemp(join(tmpdir(), 'shared-cache-store-'));
  const logs: string[] = [];
  const server = await startCacheServer({ port: 0, dir: join(storeParent, 'store'), token: WRITE_TOKEN, readToken: READ_TOKEN, log: (line) => void logs.push(line) });
  try {
    // The machines: copies of one state of this checkout's code.
    const [single, one, two, assemble, wrongToken, reader] = await sameCodeCopies(t, 6, { shared: SUITE });
    // The single-machine run, no remote cache: the bytes to match.
    const reference = await elasticity(single, ['run', 'shared']);
    assert.equal(reference.status, 0, reference.stderr + reference.stdout);
    assert.deepEqual(outcomes(reference.stdout).ran, ALL_TASKS);
    const expected = await stageOutputs(single);
    assert.equal(Object.keys(expected).filter((f) => f.endsWith('dataset.arrow')).length, 2);

    // Two machines, one core each, at the same time: each computes its own part, every task exactly once in all.
    const write = { url: server.url, token: WRITE_TOKEN };
    const parts = await Promise.all([
      elasticity(one, ['run', 'shared', '--partition', '1/2', '--parallel', '1'], write),
      elasticity(two, ['run', 'shared', '--partition', '2/2', '--parallel', '1'], write),
    ]);
    for (const [i, part] of parts.entries()) {
      assert.equal(part.status, 0, part.stderr + part.stdout);
      assert.match(part.stderr, new RegExp(`part ${i + 1}/2: combinations 1 of 2, stage instances 6\\n`));
      assert.match(part.stdout, new RegExp(`part ${i + 1}/2 done; when every part has run, \`elasticity run shared\` on any machine`));
      assert.doesNotMatch(part.stdout, /clustering accuracy over/, 'a part writes no combined report');
    }
    const [ran1, ran2] = parts.map((p) => outcomes(p.stdout).ran);
    assert.deepEqual(ran1, tasksOf('4v9').sort());
    assert.deepEqual(ran2, tasksOf('3v5').sort());
    assert.equal((await storedEntries(join(storeParent, 'store'))).length, ALL_TASKS.length);

    // A third machine with an empty local cache: every stage from the server, none executed, the same bytes, the combined report.
    const whole = await elasticity(assemble, ['run', 'shared'], write);
    assert.equal(whole.status, 0, whole.stderr + whole.stdout);
    assert.deepEqual(outcomes(whole.stdout), { ran: [], remote: ALL_TASKS, local: [] });
    assert.deepEqual(await stageOutputs(assemble), expected);
    const timings = (await readdir(join(assemble, 'data/shared'))).filter((f) => f.endsWith('.timings.json'));
    assert.deepEqual(timings, ['matrix-report.timings.json'], 'no stage process ran (each writes a timings file)');
    assert.match(whole.stdout, /shared: clustering accuracy over 2 runs/);
    assert.equal(await readFile(join(assemble, 'data/shared/matrix-report/results.json'), 'utf8'), await readFile(join(single, 'data/shared/matrix-report/results.json'), 'utf8'));
    assert.doesNotMatch(whole.stderr, /warning/);

    // A wrong token: the run completes from local work, no remote hit, and says why once.
    const wrong = await elasticity(wrongToken, ['run', 'shared', '--only', 'pair=4v9'], { url: server.url, token: 'wrong-token-0123456789' });
    assert.equal(wrong.status, 0, wrong.stderr + wrong.stdout);
    assert.deepEqual(outcomes(wrong.stdout), { ran: tasksOf('4v9').sort(), remote: [], local: [] });
    assert.equal(wrong.stderr.match(/refused the token \(401\)/g)?.length, 1, wrong.stderr);
    assert.match(wrong.stderr, new RegExp(`warning: remote cache ${server.url} refused the token \\(401\\): continuing with the local cache only`));
    const wrongOutputs = await stageOutputs(wrongToken);
    for (const [file, hash] of Object.entries(wrongOutputs)) assert.equal(hash, expected[file], file);

    // A corrupted entry (3v5's clustering) and a read-only token: the other 11 stages are read from the server;
    // the corrupted one is not restored but computed (the same bytes), and its upload is refused.
    const corrupted = await entryOf(two, 'cluster-3v5');
    const entryFile = join(storeParent, 'store', corrupted);
    const bytes = await readFile(entryFile);
    bytes[bytes.length >> 1] ^= 0xff;
    await writeFile(entryFile, bytes);
    const readOnly = await elasticity(reader, ['run', 'shared'], { url: server.url, token: READ_TOKEN });
    assert.equal(readOnly.status, 0, readOnly.stderr + readOnly.stdout);
    assert.deepEqual(outcomes(readOnly.stdout), { ran: ['shared/3v5:cluster'], remote: ALL_TASKS.filter((t) => t !== 'shared/3v5:cluster'), local: [] });
    assert.deepEqual(await stageOutputs(reader), expected);
    assert.ok(logs.some((l) => l.startsWith(`corrupt entry ${corrupted} not served`)), logs.join('\n'));
    assert.ok(logs.some((l) => new RegExp(`^PUT /v1/cache/${corrupted} 403 `).test(l)), logs.join('\n'));
    assert.ok(!(await storedEntries(join(storeParent, 'store'))).includes(corrupted), 'the refused upload stored nothing');
    assert.doesNotMatch(readOnly.stderr, /warning/, 'a refused write with the read-only token is no server failure');
  } finally {
    await server.close();
    await rm(storeParent, { recursive: true, force: true });
  }
});
