import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readPipeline } from '@elasticity/cli/pipeline';
import { projectFor } from './plugin.ts';

const BASE = {
  dataset: { source: 'mnist-sample', primary: [4, 9], auxiliary: [5, 7], perClass: 10 },
  train: { width: 8, epochs: 1 },
  probe: { kinds: ['relative'] },
  ntk: {},
  similarity: { use: ['relative', 'ntk'] },
  cluster: { k: 2 },
  report: {},
};

async function project(sections: object) {
  const dir = await mkdtemp(join(tmpdir(), 'plugin-'));
  const file = join(dir, 'toy.json');
  await writeFile(file, JSON.stringify(sections));
  return projectFor(readPipeline(file), 'pipelines/toy.json');
}

test('every stage is a cached target with the DAG of the stage table', async () => {
  const p = await project(BASE);
  assert.equal(p.name, 'toy');
  assert.deepEqual(Object.keys(p.targets), ['ingest', 'train', 'probe', 'ntk', 'similarity', 'cluster', 'report']);
  assert.deepEqual(p.targets.ingest.dependsOn, []);
  assert.deepEqual(p.targets.probe.dependsOn, ['ingest', 'train']);
  assert.deepEqual(p.targets.similarity.dependsOn, ['ingest', 'probe', 'ntk']);
  assert.deepEqual(p.targets.report.dependsOn, ['ingest', 'train', 'cluster']);
  for (const [name, t] of Object.entries(p.targets)) {
    assert.equal(t.cache, true);
    assert.deepEqual(t.outputs, [`{workspaceRoot}/data/toy/${name}`]);
    assert.match((t.options as { command: string }).command, new RegExp(` ${name} --pipeline pipelines/toy.json --section-hash [0-9a-f]{16}`));
  }
});

test('editing one section changes only that stage\'s command (its cache key)', async () => {
  const before = await project(BASE);
  const after = await project({ ...BASE, cluster: { k: 2, seeds: 3 } });
  for (const name of Object.keys(before.targets)) {
    const same = (before.targets[name].options as { command: string }).command === (after.targets[name].options as { command: string }).command;
    assert.equal(same, name !== 'cluster', name);
  }
});

test('key order inside a section does not change the cache key', async () => {
  const a = await project(BASE);
  const b = await project({ ...BASE, train: { epochs: 1, width: 8 } });
  assert.equal((a.targets.train.options as { command: string }).command, (b.targets.train.options as { command: string }).command);
});

test('optional stages without a section are left out, and downstream does not wait for them', async () => {
  const p = await project({ dataset: BASE.dataset, similarity: { use: [], baselines: ['raw'] }, cluster: {} });
  assert.deepEqual(Object.keys(p.targets), ['ingest', 'similarity', 'cluster']);
  assert.deepEqual(p.targets.similarity.dependsOn, ['ingest']);
});
