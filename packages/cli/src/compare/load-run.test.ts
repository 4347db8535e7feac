import { test } from 'node:test';
import type { TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ElasticityError } from '@elasticity/core';
import { loadRun } from './load-run.ts';
import { fakeResults, git, tempDir, writeJson } from './test-fixtures.ts';

const PIPELINE = { description: 'x', dataset: { source: 'mnist-sample', primary: [4, 9] }, train: { lr: 0.003 }, report: {} };

function workspace(t: TestContext): string {
  const dir = tempDir(t);
  writeJson(dir, 'pipelines/default.json', PIPELINE);
  writeJson(dir, 'data/default/report/results.json', fakeResults('default', 0.5));
  return dir;
}

const rejectsNaming = (promise: Promise<unknown>, ...parts: string[]) => assert.rejects(promise,
  (e: unknown) => e instanceof ElasticityError && parts.every((p) => e.message.includes(p)));

test('a results.json file, its folder and its pipeline name load the same run; params fall back to pipelines/NAME.json', async (t) => {
  const cwd = workspace(t);
  const options = { cwd, dataRoot: 'data' };
  const byFile = await loadRun('data/default/report/results.json', options);
  const byFolder = await loadRun('data/default/report', options);
  const byName = await loadRun('default', options);
  for (const run of [byFile, byFolder, byName]) {
    assert.equal(run.file, join('data', 'default', 'report', 'results.json'));
    assert.equal(run.paramsFrom, join('pipelines', 'default.json'));
    // the file's effective sections: what it says, and every default the stages apply (as a run records them)
    assert.equal(run.paramsEffective, true);
    const params = Object.fromEntries(run.params!);
    assert.deepEqual([params['dataset.source'], params['dataset.primary'], params['train.lr']], ['mnist-sample', [4, 9], 0.003]);
    assert.deepEqual([params['dataset.perClass'], params['dataset.auxiliaryCount'], params['dataset.split'], params['train.model']], [500, 1000, 'train', 'MLPNet']);
    assert.equal(run.metrics.get('accuracy/raw/kmeans'), 0.5);
  }
  // An absolute path works from anywhere, and is shown absolute outside cwd.
  const absolute = join(cwd, 'data/default/report/results.json');
  const fromElsewhere = await loadRun(absolute, { cwd: tempDir(t), dataRoot: 'data' });
  assert.equal(fromElsewhere.file, absolute);
  assert.equal(fromElsewhere.metrics.get('accuracy/raw/kmeans'), 0.5);
});

test('params recorded in results.json win over the pipeline file; without either there are none', async (t) => {
  const cwd = workspace(t);
  writeJson(cwd, 'with-params.json', fakeResults('default', 0.5, { params: { train: { lr: 0.1, epochs: 20 } } }));
  const run = await loadRun('with-params.json', { cwd, dataRoot: 'data' });
  assert.equal(run.paramsFrom, 'results.json');
  assert.deepEqual(Object.fromEntries(run.params!), { 'train.lr': 0.1, 'train.epochs': 20 });
  writeJson(cwd, 'orphan.json', fakeResults('nowhere', 0.5));
  const orphan = await loadRun('orphan.json', { cwd, dataRoot: 'data' });
  assert.equal(orphan.params, undefined);
  assert.equal(orphan.paramsFrom, null);
});

test('a pipeline name with a subfolder: DATA/sub/name/report/results.json and pipelines/sub/name.json', async (t) => {
  const cwd = tempDir(t);
  writeJson(cwd, 'pipelines/paper/mnist-table1.json', { train: { epochs: 3 } });
  writeJson(cwd, 'out/paper/mnist-table1/report/results.json', fakeResults('mnist-table1', 0.7));
  const run = await loadRun('paper/mnist-table1', { cwd, dataRoot: 'out' });
  assert.equal(run.params!.get('train.epochs'), 3);
  assert.equal(run.params!.get('train.width'), 1024);
  assert.equal(run.metrics.get('accuracy/raw/kmeans'), 0.7);
});

test('a matrix pipeline name: DATA/NAME/matrix-report/results.json, flattened per combo; only filtered reports → an error listing them', async (t) => {
  const cwd = tempDir(t);
  writeJson(cwd, 'pipelines/grid.json', { matrix: { width: { narrow: { 'train.width': 8 } } }, train: { lr: 0.1 } });
  const matrix = (acc: number) => ({
    title: 'grid', pipeline: 'grid', axes: ['width'], filter: {}, table: { rowAxes: [], columns: [], rows: [] },
    combos: [{ id: 'narrow', labels: { width: 'narrow' }, results: fakeResults('grid', acc) }],
  });
  writeJson(cwd, 'data/grid/matrix-report/results.json', matrix(0.6));
  const run = await loadRun('grid', { cwd, dataRoot: 'data' });
  assert.equal(run.kind, 'matrix');
  assert.equal(run.file, join('data', 'grid', 'matrix-report', 'results.json'));
  assert.equal(run.metrics.get('narrow/accuracy/raw/kmeans'), 0.6);
  assert.equal(run.paramsFrom, join('pipelines', 'grid.json'));
  assert.equal(run.paramsEffective, false, 'a matrix pipeline has no single set of sections: as written');
  assert.deepEqual(Object.fromEntries(run.params!), {
    'matrix-report.axes': ['width'], 'matrix-report.filter': {}, 'matrix.width.narrow.train.width': 8, 'train.lr': 0.1,
  });
  writeJson(cwd, 'pipelines/only-quick.json', {});
  writeJson(cwd, 'data/only-quick/matrix-report-quick/results.json', matrix(0.6));
  await rejectsNaming(loadRun('only-quick', { cwd, dataRoot: 'data' }), 'only-quick', join('data', 'only-quick', 'matrix-report-quick'));
});

test('unknown references, report-less pipelines, folders without results.json and malformed JSON: one error naming them', async (t) => {
  const cwd = workspace(t);
  const options = { cwd, dataRoot: 'data' };
  await rejectsNaming(loadRun('nosuch', options), 'nosuch', 'unknown run reference', 'results.json file', 'REV:PATH', 'pipeline name');
  writeJson(cwd, 'pipelines/fresh.json', PIPELINE);
  await rejectsNaming(loadRun('fresh', options), 'fresh', 'no report yet');
  mkdirSync(join(cwd, 'empty'));
  await rejectsNaming(loadRun('empty', options), 'empty', 'no results.json');
  writeFileSync(join(cwd, 'broken.json'), '{"pipeline": ');
  await rejectsNaming(loadRun('broken.json', options), join(cwd, 'broken.json'), 'not valid JSON');
  writeJson(cwd, 'wrong.json', { pipeline: 'default', results: [{ input: 'raw', method: 'kmeans', accuracy: { mean: 'high' } }] });
  await rejectsNaming(loadRun('wrong.json', options), 'wrong.json', 'results[0].accuracy.mean');
  writeJson(cwd, 'data/bad/report/results.json', fakeResults('bad', 0.5));
  writeFileSync(join(cwd, 'pipelines/bad.json'), '[1]');
  await rejectsNaming(loadRun('bad', options), join('pipelines', 'bad.json'), 'JSON object');
});

test('REV:PATH reads a file (or a folder\'s results.json) at a git revision, with the pipeline file of that revision', async (t) => {
  const cwd = workspace(t);
  git(cwd, 'init', '-q');
  git(cwd, 'add', '.');
  git(cwd, 'commit', '-q', '-m', 'first');
  writeJson(cwd, 'data/default/report/results.json', fakeResults('default', 0.75));
  writeJson(cwd, 'pipelines/default.json', { ...PIPELINE, train: { lr: 0.01 } });
  const options = { cwd, dataRoot: 'data' };
  const old = await loadRun('HEAD:data/default/report/results.json', options);
  assert.equal(old.file, 'HEAD:data/default/report/results.json');
  assert.equal(old.metrics.get('accuracy/raw/kmeans'), 0.5);
  assert.equal(old.paramsFrom, 'HEAD:pipelines/default.json');
  assert.equal(old.params!.get('train.lr'), 0.003);
  const folder = await loadRun('HEAD:data/default/report', options);
  assert.equal(folder.file, 'HEAD:data/default/report/results.json');
  assert.equal((await loadRun('default', options)).metrics.get('accuracy/raw/kmeans'), 0.75);
  await rejectsNaming(loadRun('HEAD:nothing/here.json', options), 'HEAD:nothing/here.json', 'no such file at that git revision');
  await rejectsNaming(loadRun('nosuchrev:data/default/report/results.json', options), 'nosuchrev:data/default/report/results.json', 'git cannot read it');
  await rejectsNaming(loadRun('HEAD:data', options), 'HEAD:data', 'no such file');
});

test('a pipeline file today\'s stages do not read is compared as written, and says so', async (t) => {
  const cwd = workspace(t);
  writeJson(cwd, 'pipelines/default.json', { train: { lr: 'fast' } });
  const run = await loadRun('default', { cwd, dataRoot: 'data' });
  assert.equal(run.paramsEffective, false);
  assert.deepEqual(Object.fromEntries(run.params!), { 'train.lr': 'fast' });
});
