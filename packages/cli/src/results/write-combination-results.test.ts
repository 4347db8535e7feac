import { test } from 'node:test';
import type { TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ElasticityError } from '@elasticity/core';
import { planPipeline, readPipeline, stageDir } from '@elasticity/pipeline';
import type { PipelinePlan } from '@elasticity/pipeline';
import { compareRuns } from '../compare/compare-runs.ts';
import { tempDir, writeJson } from '../compare/test-fixtures.ts';
import { writeCombinationResults } from './write-combination-results.ts';

/** A matrix of 2 pairs x 2 models over the sections of a small run (no stage validates them here). */
const GRID = {
  matrix: {
    pair: { '5v8': { 'dataset.primary': [5, 8] }, '4v9': { 'dataset.primary': [4, 9] } },
    model: { 'relu-mse': { 'train.model': 'MLPNet' }, 'relu-bce': { 'train.model': 'MLPProb', 'train.loss': 'bce' } },
  },
  dataset: { source: 'mnist-sample', perClass: 4 },
  train: { width: 8, epochs: 2 },
  probe: { shards: 2 },
  similarity: { use: ['relative'], baselines: ['raw'] },
  cluster: { k: 2, seeds: 2 },
  report: {},
};

const ENVIRONMENT = {
  git: { commit: 'c0ffee0000000000000000000000000000000000', date: '2026-12-07T06:00:00+00:00', dirty: false },
  node: 'v20.19.0',
  packages: { '@tensorflow/tfjs-core': '4.22.0', 'apache-arrow': '21.2.0' },
  machine: { cpu: 'Test CPU', cores: 2, memoryGiB: 8, os: 'linux x64' },
};

/** A report's results.json as the report stage writes it (figures and per-file provenance included); `relative`: the mean accuracy of relative + K-means. */
function reportResults(id: string, relative: number) {
  const s = (mean: number) => ({ mean, sd: 0.05, values: [mean - 0.05, mean + 0.05] });
  return {
    pipeline: `grid/${id}`, title: `grid/${id}: mnist-sample`, dataset: { name: `mnist-sample ${id}`, examples: 16, primary: 8 },
    params: { dataset: { primary: id.startsWith('5v8') ? [5, 8] : [4, 9] }, train: { width: 8 } },
    results: [
      { input: 'raw', method: 'kmeans', accuracy: s(0.55), ari: s(0.05), nmi: s(0.05) },
      { input: 'relative', method: 'kmeans', accuracy: s(relative), ari: s(0.2), nmi: s(0.3) },
    ],
    training: { model: 'MLPNet', width: 8, loss: 'mse', epochs: 2, backend: 'wasm', finalLoss: 0.125, trainAccuracy: 0.875, testAccuracy: null, lr: 0.003, batch: 4, seed: 0 },
    clustering: { k: 2, seeds: 2, chance: { accuracy: 0.6, majority: 0.5, classSizes: [4, 4] } },
    figures: [{ id: 'f', caption: 'c', file: 'figures/f.svg' }],
    metadata: {
      files: [{ file: 'data/grid/ingest/dataset.arrow', stage: 'ingest', seed: 0, params: {}, inputs: {}, extra: {} }],
      reportInputs: { [`data/grid/ingest-${id.split('.')[0]}._/dataset.arrow`]: 'ab'.repeat(32) },
      environment: ENVIRONMENT,
    },
  };
}

/** A workspace with pipelines/grid.json and, under data/, the report and timings of the given combinations. */
function runFolder(t: TestContext, reports: Record<string, number>): { cwd: string; plan: PipelinePlan; dataRoot: string } {
  const cwd = tempDir(t, 'combination-results-');
  const plan = planPipeline(readPipeline(writeJson(cwd, 'pipelines/grid.json', GRID)));
  const dataRoot = join(cwd, 'data');
  for (const [id, relative] of Object.entries(reports)) {
    const combo = plan.combos.find((c) => c.id === id)!;
    writeJson(stageDir(dataRoot, 'grid', combo.instances.report!.folder), 'results.json', reportResults(id, relative));
    // Timings beside the folders: ingest, train, both probe shards and the merge; the rest ran elsewhere (none).
    const timing = (folder: string, seconds: number) => writeJson(dataRoot, `grid/${folder}.timings.json`, { stage: 'x', finished: '2026-12-07T06:00:00.000Z', seconds });
    timing(combo.instances.ingest!.folder, 1.5);
    timing(combo.instances.train!.folder, 12.25);
    timing(`${combo.instances.probe!.folder}-shards/0`, 3);
    timing(`${combo.instances.probe!.folder}-shards/1`, 4);
    timing(combo.instances.probe!.folder, 0.5);
  }
  return { cwd, plan, dataRoot };
}

test('one JSON per combination: effective sections, metrics, training, stage seconds by task, provenance; figures and per-file lists left out', async (t) => {
  const { cwd, plan, dataRoot } = runFolder(t, { '5v8.relu-mse': 0.85 });
  const resultsDir = join(cwd, 'results', 'grid');
  const combos = plan.combos.filter((c) => c.id === '5v8.relu-mse');
  const files = await writeCombinationResults({ pipeline: plan.pipeline, combos, selection: { pair: '5v8' }, dataRoot, resultsDir });
  assert.deepEqual(files, [join(resultsDir, '5v8.relu-mse.json')]);
  assert.deepEqual(readdirSync(resultsDir), ['5v8.relu-mse.json'], 'no temporary file left');
  const written = JSON.parse(readFileSync(files[0], 'utf8'));
  const report = reportResults('5v8.relu-mse', 0.85);
  assert.deepEqual(Object.keys(written), [
    'pipeline', 'title', 'combination', 'labels', 'matrix', 'selection', 'dataset', 'params', 'training', 'clustering', 'results', 'timings', 'provenance',
  ]);
  assert.equal(written.pipeline, 'grid');
  assert.equal(written.combination, '5v8.relu-mse');
  assert.deepEqual(written.labels, { pair: '5v8', model: 'relu-mse' });
  assert.deepEqual(written.matrix, [{ axis: 'pair', labels: ['5v8', '4v9'] }, { axis: 'model', labels: ['relu-mse', 'relu-bce'] }]);
  assert.deepEqual(written.selection, { pair: '5v8' });
  assert.deepEqual(written.params, report.params);
  assert.deepEqual(written.results, report.results);
  assert.equal(written.results[1].accuracy.mean, 0.85);
  assert.deepEqual(written.training, report.training);
  assert.deepEqual(written.clustering, report.clustering);
  assert.deepEqual(written.timings, {
    ingest: 1.5, train: 12.25, 'probe-shard-0': 3, 'probe-shard-1': 4, probe: 0.5, similarity: null, cluster: null, report: null,
  });
  assert.deepEqual(written.provenance, {
    git: ENVIRONMENT.git, backend: 'wasm', node: 'v20.19.0', packages: ENVIRONMENT.packages, machine: ENVIRONMENT.machine,
    inputs: report.metadata.reportInputs,
  });
});

test('a combination whose report has not run: an error naming its results.json, and no file', async (t) => {
  const { cwd, plan, dataRoot } = runFolder(t, {});
  const resultsDir = join(cwd, 'results');
  await assert.rejects(
    writeCombinationResults({ pipeline: plan.pipeline, combos: plan.combos.slice(0, 1), selection: {}, dataRoot, resultsDir }),
    (e: unknown) => e instanceof ElasticityError && e.file !== undefined && e.file.endsWith(join('report-5v8.relu-mse', 'results.json')),
  );
  await assert.rejects(
    writeCombinationResults({ pipeline: readPipeline(writeJson(cwd, 'pipelines/plain.json', { dataset: {} })), combos: [], selection: {}, dataRoot, resultsDir }),
    (e: unknown) => e instanceof ElasticityError && e.field === '--results',
  );
});

test('elasticity compare reads two combination files: params and metrics that differ', async (t) => {
  const { cwd, plan, dataRoot } = runFolder(t, { '5v8.relu-mse': 0.85, '4v9.relu-mse': 0.65 });
  const resultsDir = join(cwd, 'results');
  const combos = plan.combos.filter((c) => c.labels.model === 'relu-mse');
  await writeCombinationResults({ pipeline: plan.pipeline, combos, selection: {}, dataRoot, resultsDir });
  const report = await compareRuns('results/5v8.relu-mse.json', 'results/4v9.relu-mse.json', { cwd, dataRoot: 'data' });
  assert.equal(report.a.kind, 'pipeline');
  assert.equal(report.a.paramsFrom, 'results.json');
  assert.equal(report.paramsCompared, true);
  assert.deepEqual(report.params, [{ path: 'dataset.primary', a: [5, 8], b: [4, 9] }]);
  const relative = report.metrics.find((m) => m.path === 'accuracy/relative/kmeans')!;
  assert.equal(relative.a, 0.85);
  assert.equal(relative.b, 0.65);
  assert.ok(Math.abs(relative.change! - -0.2) < 1e-12);
  assert.deepEqual(report.metrics.map((m) => m.path), ['accuracy/relative/kmeans'], 'the baseline, training and ARI/NMI agree');
  assert.deepEqual(report.notes, []);
});
