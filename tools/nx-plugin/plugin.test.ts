import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { planPipeline, readPipeline } from '@elasticity/pipeline';
import { matrixProjects, projectFor } from './plugin.ts';
import { stageKey } from './stage-key.ts';

const BASE = {
  dataset: { source: 'mnist-sample', primary: [4, 9], auxiliary: [5, 7], perClass: 10 },
  train: { width: 8, epochs: 1 },
  probe: { kinds: ['relative'] },
  ntk: {},
  similarity: { use: ['relative', 'ntk'] },
  cluster: { k: 2 },
  report: {},
};
const STAGES = ['ingest', 'train', 'probe', 'ntk', 'similarity', 'cluster', 'report'];

async function pipelineFile(sections: object): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'plugin-'));
  const file = join(dir, 'toy.json');
  await writeFile(file, JSON.stringify(sections));
  return file;
}

async function project(sections: object) {
  return projectFor(readPipeline(await pipelineFile(sections)), 'pipelines/toy.json');
}

test('every stage is a cached target with the DAG of the stage table', async () => {
  const p = await project(BASE);
  assert.equal(p.name, 'toy');
  assert.deepEqual(Object.keys(p.targets), STAGES);
  assert.deepEqual(p.targets.ingest.dependsOn, []);
  assert.deepEqual(p.targets.probe.dependsOn, ['ingest', 'train']);
  assert.deepEqual(p.targets.similarity.dependsOn, ['ingest', 'train', 'probe', 'ntk']);
  assert.deepEqual(p.targets.report.dependsOn, ['ingest', 'train', 'similarity', 'cluster']);
  for (const [name, t] of Object.entries(p.targets)) {
    assert.equal(t.cache, true);
    assert.deepEqual(t.outputs, [`{workspaceRoot}/data/toy/${name}`]);
    assert.equal((t.options as { command: string }).command, `node --import tsx packages/cli/src/bin.ts ${name} --pipeline pipelines/toy.json`);
    assert.deepEqual(t.inputs![0], { runtime: `node --import tsx tools/nx-plugin/print-stage-key.ts pipelines/toy.json ${name}` });
    const upstreamHashed = t.inputs!.some((i) => typeof i === 'object' && 'dependentTasksOutputFiles' in i);
    assert.equal(upstreamHashed, name !== 'ingest', name);
  }
});

test('editing one section leaves the project configuration unchanged and changes only that stage\'s key', async () => {
  const before = await pipelineFile(BASE);
  const after = await pipelineFile({ ...BASE, cluster: { k: 2, seeds: 3 } });
  // Nx hashes the whole project configuration into every target: it must not move.
  assert.deepEqual(projectFor(readPipeline(before), 'pipelines/toy.json'), projectFor(readPipeline(after), 'pipelines/toy.json'));
  for (const stage of STAGES) {
    const same = (await stageKey(before, stage)) === (await stageKey(after, stage));
    assert.equal(same, stage !== 'cluster', stage);
  }
});

test('key order inside a section does not change the key; values do', async () => {
  const a = await stageKey(await pipelineFile(BASE), 'train');
  assert.equal(a, await stageKey(await pipelineFile({ ...BASE, train: { epochs: 1, width: 8 } }), 'train'));
  assert.notEqual(a, await stageKey(await pipelineFile({ ...BASE, train: { epochs: 2, width: 8 } }), 'train'));
});

test('the ingest key follows the raw data folder\'s files', async () => {
  const raw = await mkdtemp(join(tmpdir(), 'raw-'));
  const file = await pipelineFile({ ...BASE, dataset: { ...BASE.dataset, source: 'mnist', path: raw } });
  const empty = await stageKey(file, 'ingest');
  await writeFile(join(raw, 'train-images-idx3-ubyte'), 'x');
  assert.notEqual(await stageKey(file, 'ingest'), empty);
  assert.match(await stageKey(await pipelineFile(BASE), 'ingest'), /no raw folder$/);
});

test('optional stages without a section are left out, and downstream does not wait for them', async () => {
  const p = await project({ dataset: BASE.dataset, similarity: { use: [], baselines: ['raw'] }, cluster: {} });
  assert.deepEqual(Object.keys(p.targets), ['ingest', 'similarity', 'cluster']);
  assert.deepEqual(p.targets.similarity.dependsOn, ['ingest']);
});

test('a pipeline without clustering (synthetic data) reports straight from the similarity stage', async () => {
  const { cluster: _cluster, ntk: _ntk, ...sections } = BASE;
  const p = await project({ ...sections, dataset: { source: 'synthetic', synthetic: { shape: 'torus', points: 10 } }, similarity: { use: ['relative'], baselines: [] } });
  assert.deepEqual(Object.keys(p.targets), ['ingest', 'train', 'probe', 'similarity', 'report']);
  assert.deepEqual(p.targets.similarity.dependsOn, ['ingest', 'train', 'probe']);
  assert.deepEqual(p.targets.report.dependsOn, ['ingest', 'train', 'similarity']);
});

test('the similarity key follows the contents of user feature files', async () => {
  const file = await pipelineFile({ ...BASE, similarity: { use: [], features: { resnet: 'resnet.arrow' } } });
  const featureFile = join(file, '..', 'resnet.arrow');
  await writeFile(featureFile, 'one');
  const first = await stageKey(file, 'similarity');
  await writeFile(featureFile, 'two');
  assert.notEqual(await stageKey(file, 'similarity'), first);
});

test('a probe (or NTK) section with shards: K becomes K cached shard tasks and a merge task', async () => {
  const p = await project({ ...BASE, probe: { kinds: ['relative'], shards: 3 } });
  const shardTargets = ['probe-shard-0', 'probe-shard-1', 'probe-shard-2'];
  for (const [i, name] of shardTargets.entries()) {
    const t = p.targets[name];
    assert.equal(t.cache, true);
    assert.deepEqual(t.dependsOn, ['ingest', 'train']);
    assert.deepEqual(t.outputs, [`{workspaceRoot}/data/toy/probe-shards/${i}`]);
    assert.match((t.options as { command: string }).command, new RegExp(` probe --pipeline pipelines/toy.json --shard ${i}/3$`));
  }
  assert.deepEqual(p.targets.probe.dependsOn, shardTargets);
  assert.deepEqual(p.targets.probe.outputs, ['{workspaceRoot}/data/toy/probe']);
  assert.match((p.targets.probe.options as { command: string }).command, / probe --pipeline pipelines\/toy.json --merge 3$/);
  assert.equal(p.targets['ntk-shard-0'], undefined, 'ntk not sharded');
  // Downstream still waits for the merged probe.
  assert.deepEqual(p.targets.similarity.dependsOn, ['ingest', 'train', 'probe', 'ntk']);
});

const MATRIX = {
  pair: { '4v9': { 'dataset.primary': [4, 9] }, '5v8': { 'dataset.primary': [5, 8] } },
  use: { relative: { 'similarity.use': ['relative'] }, both: { 'similarity.use': ['relative', 'ntk'] } },
};

async function matrix(sections: object) {
  const file = await pipelineFile(sections);
  const projects = matrixProjects(planPipeline(readPipeline(file)), 'pipelines/toy.json');
  return new Map(projects.map((p) => [p.name, p]));
}

test('a matrix becomes one project per stage instance, per combination and for the whole matrix', async () => {
  const projects = await matrix({ ...BASE, matrix: MATRIX });
  const names = [...projects.keys()];
  const of = (stage: string) => names.filter((n) => new RegExp(`^toy/${stage}-[0-9a-f]{10}$`).test(n));
  // shared upstream: 2 data sets, 2 models, 2 probes and NTKs; 4 of everything from similarity on
  assert.deepEqual(['ingest', 'train', 'probe', 'ntk', 'similarity', 'cluster', 'report'].map((s) => of(s).length), [2, 2, 2, 2, 4, 4, 4]);
  assert.deepEqual(names.filter((n) => /^toy\/(4v9|5v8)\./.test(n)).sort(), ['toy/4v9.both', 'toy/4v9.relative', 'toy/5v8.both', 'toy/5v8.relative']);
  assert.ok(projects.has('toy'));
  // a stage target runs its instance and waits for its upstream instances' targets
  const train = projects.get(of('train')[0])!;
  const key = train.name.slice('toy/train-'.length);
  const t = train.targets.train;
  assert.equal((t.options as { command: string }).command, `node --import tsx packages/cli/src/bin.ts train --pipeline pipelines/toy.json --instance ${key}`);
  assert.deepEqual(t.outputs, [`{workspaceRoot}/data/toy/train-${key}`]);
  const ingestDep = (t.dependsOn as { projects: string[]; target: string }[])[0];
  assert.equal(ingestDep.target, 'ingest');
  assert.ok(of('ingest').includes(ingestDep.projects[0]));
  // the embedded sample needs no runtime input (the key in the command covers the section)
  assert.ok(!t.inputs!.some((i) => typeof i === 'object' && 'runtime' in i));
  // a combination waits for its leaf (report) instance
  const combo = projects.get('toy/4v9.relative')!.targets.all;
  assert.equal(combo.executor, 'nx:noop');
  const [leaf] = combo.dependsOn as { projects: string[]; target: string }[];
  assert.equal(leaf.target, 'report');
  assert.ok(of('report').includes(leaf.projects[0]));
});

test('editing only the similarity axis leaves every data set, training, probe and NTK project unchanged', async () => {
  const before = await matrix({ ...BASE, matrix: MATRIX });
  const after = await matrix({ ...BASE, matrix: { ...MATRIX, use: { relative: { 'similarity.use': ['relative'] }, both: { 'similarity.use': ['ntk', 'relative'] } } } });
  const upstream = (m: Map<string, { name: string }>) => [...m.keys()].filter((n) => /\/(ingest|train|probe|ntk)-/.test(n));
  assert.deepEqual(upstream(after), upstream(before));
  for (const name of upstream(before)) assert.deepEqual(after.get(name), before.get(name), name);
  const changed = [...after.keys()].filter((n) => !before.has(n));
  assert.deepEqual(changed.map((n) => n.replace(/-[0-9a-f]{10}$/, '')).sort(), ['toy/cluster', 'toy/cluster', 'toy/report', 'toy/report', 'toy/similarity', 'toy/similarity']);
});

test('matrix instances that read files outside the pipeline keep a runtime input with their key', async () => {
  const raw = await mkdtemp(join(tmpdir(), 'raw-'));
  const file = await pipelineFile({ ...BASE, dataset: { ...BASE.dataset, source: 'mnist', path: raw }, matrix: MATRIX });
  const plan = planPipeline(readPipeline(file));
  const ingest = plan.instances.find((i) => i.stage === 'ingest')!;
  const project = matrixProjects(plan, 'pipelines/toy.json').find((p) => p.name === `toy/${ingest.folder}`)!;
  assert.deepEqual(project.targets.ingest.inputs![0], { runtime: `node --import tsx tools/nx-plugin/print-stage-key.ts pipelines/toy.json ingest ${ingest.key}` });
  const empty = await stageKey(file, 'ingest', ingest.key);
  assert.match(empty, /"primary":\[4,9\]|"primary":\[5,8\]/);
  await writeFile(join(raw, 'train-images-idx3-ubyte'), 'x');
  assert.notEqual(await stageKey(file, 'ingest', ingest.key), empty);
});
