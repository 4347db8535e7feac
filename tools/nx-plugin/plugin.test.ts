import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readPipeline } from '@elasticity/cli/pipeline';
import { projectFor } from './plugin.ts';
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
