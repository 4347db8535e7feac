import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { readFile, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { scratchWorkspace, writePipeline, cli } from './workspace.ts';

const SMALL = {
  dataset: { source: 'mnist-sample', primary: [3, 8], auxiliary: [5], perClass: 10, testPerClass: 4, seed: 1 },
  train: { model: 'MLPProb', width: 12, epochs: 2, batch: 10, seed: 1 },
  probe: { kinds: ['relative', 'kernelized'], eta: 0.001 },
  ntk: {},
  similarity: { use: ['relative', 'kernelized', 'ntk'], baselines: ['raw', 'pca'], pcaComponents: 4 },
  cluster: { seeds: 2, restarts: 2 },
  report: {},
};
const STAGES = ['ingest', 'train', 'probe', 'ntk', 'similarity', 'cluster', 'report'];

test('stages run one by one from the CLI, and inspect reads and validates every Arrow output', { timeout: 240_000 }, async (t) => {
  const ws = await scratchWorkspace(t, { small: SMALL });
  for (const stage of STAGES) {
    const r = cli(ws, [stage, '--pipeline', 'small', '--backend', 'cpu']);
    assert.equal(r.status, 0, `${stage}: ${r.stderr}`);
  }
  const arrows: string[] = [];
  for (const stage of STAGES) {
    for (const entry of await readdir(join(ws, 'data/small', stage), { recursive: true })) {
      if (String(entry).endsWith('.arrow')) arrows.push(join('data/small', stage, String(entry)));
    }
  }
  assert.ok(arrows.length >= 12, arrows.join(' '));
  for (const file of arrows) {
    const r = cli(ws, ['inspect', file, '--json']);
    assert.equal(r.status, 0, `${file}: ${r.stderr}`);
    const out = JSON.parse(r.stdout);
    assert.equal(out.valid, true, file);
    assert.notEqual(out.contract, 'unknown', file);
    assert.ok(out.rows > 0, file);
  }
  const text = cli(ws, ['inspect', 'data/small/ingest/dataset.arrow']);
  assert.match(text.stdout, /dataset file \(valid\), 40 rows/);
  // The report of a BCE model names it, and the results table has the five default methods.
  const results = JSON.parse(await readFile(join(ws, 'data/small/report/results.json'), 'utf8'));
  assert.equal(results.training.loss, 'bce');
  assert.equal(results.results.length, 5);

  // A corrupt upstream file: one clear error naming it, non-zero exit, no output of the failing stage.
  const dataset = join(ws, 'data/small/ingest/dataset.arrow');
  const bytes = await readFile(dataset);
  await writeFile(dataset, bytes.subarray(0, bytes.length >> 1));
  const bad = cli(ws, ['train', '--pipeline', 'small', '--backend', 'cpu']);
  assert.equal(bad.status, 1);
  assert.match(bad.stderr, /^error: .*data\/small\/ingest\/dataset\.arrow: arrow: /m);
  assert.equal(bad.stderr.trim().split('\n').filter((l) => l.startsWith('error')).length, 1);
  assert.equal(existsSync(join(ws, 'data/small/train')), false, 'no partial train output');
  assert.deepEqual((await readdir(join(ws, 'data/small'))).filter((n) => n.startsWith('.')), [], 'no staging folders left');
  const inspectBad = cli(ws, ['inspect', 'data/small/ingest/dataset.arrow']);
  assert.equal(inspectBad.status, 1);
  assert.match(inspectBad.stderr, /dataset\.arrow: arrow: not a readable Arrow IPC file/);
});

test('bad pipelines and options fail with one message naming the file and field', { timeout: 120_000 }, async (t) => {
  const ws = await scratchWorkspace(t, {});
  const cases: Array<[string, object, RegExp]> = [
    ['unknown-section', { ...SMALL, trian: {} }, /unknown-section\.json: trian: unknown section/],
    ['unknown-class', { ...SMALL, dataset: { ...SMALL.dataset, primary: [3, 12] } }, /unknown-class\.json: dataset\.primary/],
    ['bad-epochs', { ...SMALL, train: { ...SMALL.train, epochs: 0 } }, /bad-epochs\.json: train\.epochs/],
  ];
  for (const [name, body, message] of cases) {
    await writePipeline(ws, name, body);
    const stage = name === 'bad-epochs' ? 'train' : 'ingest';
    if (stage === 'train') assert.equal(cli(ws, ['ingest', '--pipeline', name]).status, 0);
    const r = cli(ws, [stage, '--pipeline', name]);
    assert.equal(r.status, 1, name);
    assert.match(r.stderr, message);
    assert.equal(existsSync(join(ws, 'data', name, stage)), false, `${name}: no ${stage} output`);
  }
  // `run` checks every section before any stage runs, and suggests the closest key.
  await writePipeline(ws, 'typo', { ...SMALL, cluster: { seed: 2 } });
  const typo = cli(ws, ['run', 'typo']);
  assert.equal(typo.status, 1);
  assert.match(typo.stderr, /typo\.json: cluster\.seed: unknown key \(did you mean "seeds"\?\); allowed: /);
  assert.equal(existsSync(join(ws, 'data', 'typo')), false, 'nothing ran');
  const missing = cli(ws, ['ingest', '--pipeline', 'nope']);
  assert.equal(missing.status, 1);
  assert.match(missing.stderr, /pipelines\/nope\.json: no pipeline "nope"; the pipelines are: bad-epochs, typo, unknown-class, unknown-section\n$/);
  const usage = cli(ws, ['inspect', 'x.arrow', '--backend', 'gpu']);
  assert.equal(usage.status, 2);
  assert.match(usage.stderr, /backend/);
});
