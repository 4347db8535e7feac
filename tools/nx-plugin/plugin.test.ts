import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import type { TargetConfiguration } from 'nx/src/devkit-exports.js';
import { withTempDir } from '@elasticity/core/testing';
import { planPipeline, readPipeline } from '@elasticity/pipeline';
import { parseSimilarityConfig } from '@elasticity/similarity';
import { BACKEND, FLOAT32_KERNEL, pipelineProjects, stageCodes } from './plugin.ts';
import { stageKey } from './stage-key.ts';

const ROOT = resolve(import.meta.dirname, '..', '..');
const code = stageCodes(ROOT);

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

/** Writes `sections` as DIR/toy.json. */
async function pipelineFile(dir: string, sections: object): Promise<string> {
  const file = join(dir, 'toy.json');
  await writeFile(file, JSON.stringify(sections));
  return file;
}

function projects(sections: object) {
  return withTempDir('plugin-', async (dir) => {
    const list = pipelineProjects(planPipeline(readPipeline(await pipelineFile(dir, sections))), 'pipelines/toy.json', code);
    return new Map(list.map((p) => [p.name, p]));
  });
}

async function project(sections: object) {
  const all = await projects(sections);
  assert.equal(all.size, 1);
  return all.get('toy')!;
}

/** What Nx hashes of a project into each of its tasks (hash_project_config: root, tags, and each target's name, executor, options and outputs). */
function hashedConfig(p: { root: string; tags?: string[]; targets: Record<string, TargetConfiguration> }) {
  return { root: p.root, tags: p.tags, targets: Object.fromEntries(Object.entries(p.targets).map(([n, t]) => [n, [t.executor, t.options, t.outputs]])) };
}

type Input = NonNullable<TargetConfiguration['inputs']>[number];
const runtimes = (t: TargetConfiguration) => t.inputs!.filter((i): i is { runtime: string } => typeof i === 'object' && 'runtime' in i).map((i) => i.runtime);
const has = (t: TargetConfiguration, pred: (i: Input) => boolean) => t.inputs!.some(pred);

test('a plain pipeline is one project whose targets are its stages, with the DAG of the stage table', async () => {
  const p = await project(BASE);
  assert.deepEqual(Object.keys(p.targets), STAGES);
  assert.deepEqual(p.tags, ['pipeline']);
  assert.deepEqual(p.targets.ingest.dependsOn, []);
  assert.deepEqual(p.targets.probe.dependsOn, ['ingest', 'train']);
  assert.deepEqual(p.targets.similarity.dependsOn, ['ingest', 'train', 'probe', 'ntk']);
  assert.deepEqual(p.targets.report.dependsOn, ['ingest', 'train', 'similarity', 'cluster']);
  for (const [name, t] of Object.entries(p.targets)) {
    assert.equal(t.cache, true);
    assert.deepEqual(t.outputs, [`{workspaceRoot}/data/toy/${name}`]);
    assert.equal((t.options as { command: string }).command, `node packages/cli/bin/elasticity.js ${name} --pipeline pipelines/toy.json`);
    assert.match(runtimes(t)[0], new RegExp(`^echo ${name} section [0-9a-f]{16}$`));
    assert.equal(has(t, (i) => typeof i === 'object' && 'dependentTasksOutputFiles' in i), name !== 'ingest', name);
  }
});

test('editing one section leaves what Nx hashes of the project unchanged and changes only that stage\'s inputs', async () => {
  const before = await project(BASE);
  const after = await project({ ...BASE, cluster: { k: 2, seeds: 3 } });
  assert.deepEqual(hashedConfig(after), hashedConfig(before));
  for (const stage of STAGES) assert.equal(runtimes(after.targets[stage])[0] === runtimes(before.targets[stage])[0], stage !== 'cluster', stage);
});

test('key order inside a section does not change its key; values do', async () => {
  const key = async (train: object) => runtimes((await project({ ...BASE, train })).targets.train)[0];
  const a = await key({ width: 8, epochs: 1 });
  assert.equal(await key({ epochs: 1, width: 8 }), a);
  assert.notEqual(await key({ epochs: 2, width: 8 }), a);
});

test('each stage is keyed on the code it runs: its package, the packages it depends on, their npm packages and the runner', async () => {
  const p = await project(BASE);
  const projectsOf = (stage: string) => (p.targets[stage].inputs!.find((i) => typeof i === 'object' && 'projects' in i) as { input: string; projects: string[] });
  assert.deepEqual(projectsOf('train'), { input: 'production', projects: ['@elasticity/core', '@elasticity/training'] });
  assert.deepEqual(projectsOf('probe').projects, ['@elasticity/core', '@elasticity/mlp-engine', '@elasticity/probing']);
  assert.deepEqual(projectsOf('ntk').projects, ['@elasticity/core', '@elasticity/mlp-engine', '@elasticity/ntk']);
  const external = (stage: string) => (p.targets[stage].inputs!.find((i) => typeof i === 'object' && 'externalDependencies' in i) as { externalDependencies: string[] }).externalDependencies;
  assert.ok(external('similarity').includes('npm:ml-pca') && external('similarity').includes('npm:@tensorflow/tfjs'));
  assert.ok(external('ingest').includes('npm:tar@7.5.23'), 'datasets\' own tar, not the hoisted one');
  assert.ok(!external('train').includes('npm:ml-pca'));
  for (const stage of STAGES) {
    assert.ok(external(stage).includes('npm:pure-rand') && external(stage).includes('npm:zod') && external(stage).includes('npm:yargs'), stage);
    const files = p.targets[stage].inputs!.filter((i): i is string => typeof i === 'string');
    assert.ok(files.includes(`{workspaceRoot}/packages/cli/src/commands/${stage}.ts`), stage);
    assert.ok(files.includes('{workspaceRoot}/packages/pipeline/src/plan.ts'), stage);
    assert.ok(!files.some((f) => /schema|validate/.test(f)), `${stage} does not run the pipeline schema`);
    assert.ok(!files.some((f) => f.includes('/commands/') && !/\/commands\/(stage-command|sharded-stage|[a-z]+)\.ts$/.test(f)));
  }
});

test('the stages whose numbers depend on TensorFlow.js carry the backend and Node version; similarity only when it runs TensorFlow.js', async () => {
  const uses = (t: TargetConfiguration) => runtimes(t).includes(BACKEND);
  const p = await project(BASE);
  assert.deepEqual(STAGES.filter((s) => uses(p.targets[s])), ['train', 'probe', 'ntk']);
  // the similarity defaults are plain JavaScript: the check on the raw section is exact
  const defaults = parseSimilarityConfig({}, 'pipelines/toy.json');
  assert.ok(!defaults.baselines.includes('autoencoder') && !defaults.use.includes('activation-cosine'));
  assert.ok(uses((await project({ ...BASE, similarity: { use: [], baselines: ['autoencoder'] } })).targets.similarity));
  assert.ok(uses((await project({ ...BASE, similarity: { use: ['activation-cosine'] } })).targets.similarity));
});

test('print-backend.mjs names the backend a stage would use and the Node major version; ELASTICITY_BACKEND wins', () => {
  const run = (env: Record<string, string>) => spawnSync(process.execPath, [join(ROOT, 'tools/nx-plugin/print-backend.mjs')], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, ...env } }).stdout.trim();
  const node = process.versions.node.split('.')[0];
  assert.equal(run({ ELASTICITY_BACKEND: 'cpu' }), `tfjs-backend=cpu node=${node}`);
  let nativeInstalled = true;
  try {
    createRequire(join(ROOT, 'packages/core/src/backend.ts')).resolve('@tensorflow/tfjs-node');
  } catch {
    nativeInstalled = false;
  }
  if (!nativeInstalled) assert.equal(run({ ELASTICITY_BACKEND: '' }), `tfjs-backend=wasm node=${node}`);
});

test('train, probe and ntk, and no other stage, carry the float32 kernel of their products; print-float32-kernel.mjs names ONNX Runtime exactly when it loads', async () => {
  const p = await project(BASE);
  assert.deepEqual(STAGES.filter((s) => runtimes(p.targets[s]).includes(FLOAT32_KERNEL)), ['train', 'probe', 'ntk']);
  const printed = spawnSync(process.execPath, [join(ROOT, 'tools/nx-plugin/print-float32-kernel.mjs')], { cwd: ROOT, encoding: 'utf8' }).stdout.trim();
  let onnx = true;
  try {
    createRequire(join(ROOT, 'packages/core/src/onnx-matmul.ts'))('onnxruntime-node');
  } catch {
    onnx = false;
  }
  if (onnx) assert.match(printed, /^float32-kernel=onnx cpu=(avx512|avx2|avx|sse|x64|arm64|\w+)$/);
  else assert.equal(printed, 'float32-kernel=tfjs');
});

test('the ingest key follows the raw data folder\'s files', async () => {
  await withTempDir('raw-', (raw) => withTempDir('plugin-', async (dir) => {
    const file = await pipelineFile(dir, { ...BASE, dataset: { ...BASE.dataset, source: 'mnist', path: raw } });
    const p = pipelineProjects(planPipeline(readPipeline(file)), 'pipelines/toy.json', code)[0];
    assert.deepEqual(runtimes(p.targets.ingest)[0], 'node --import tsx tools/nx-plugin/print-stage-key.ts pipelines/toy.json ingest');
    const empty = await stageKey(file, 'ingest');
    await writeFile(join(raw, 'train-images-idx3-ubyte'), 'x');
    assert.notEqual(await stageKey(file, 'ingest'), empty);
  }));
  await withTempDir('plugin-', async (dir) => assert.match(await stageKey(await pipelineFile(dir, BASE), 'ingest'), /no raw folder$/));
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
  await withTempDir('plugin-', async (dir) => {
    const file = await pipelineFile(dir, { ...BASE, similarity: { use: [], features: { resnet: 'resnet.arrow' } } });
    const featureFile = join(file, '..', 'resnet.arrow');
    await writeFile(featureFile, 'one');
    const first = await stageKey(file, 'similarity');
    await writeFile(featureFile, 'two');
    assert.notEqual(await stageKey(file, 'similarity'), first);
  });
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

test('a matrix is a project per combination and per shared part, named by labels; shared stage instances are one target', async () => {
  const all = await projects({ ...BASE, matrix: MATRIX });
  assert.deepEqual([...all.keys()].sort(), ['toy', 'toy/4v9._', 'toy/4v9.both', 'toy/4v9.relative', 'toy/5v8._', 'toy/5v8.both', 'toy/5v8.relative']);
  // a data set, a model, a probe and an NTK per pair, shared by both similarity values
  assert.deepEqual(Object.keys(all.get('toy/4v9._')!.targets), ['ingest', 'train', 'probe', 'ntk']);
  assert.deepEqual(all.get('toy/4v9._')!.tags, ['pipeline-shared-stages', 'matrix:toy']);
  const combo = all.get('toy/4v9.both')!;
  assert.deepEqual(Object.keys(combo.targets), ['similarity', 'cluster', 'report', 'all']);
  assert.deepEqual(combo.tags, ['pipeline-combination', 'matrix:toy']);
  const train = all.get('toy/4v9._')!.targets.train;
  assert.equal((train.options as { command: string }).command, 'node packages/cli/bin/elasticity.js train --pipeline pipelines/toy.json --instance 4v9._');
  assert.deepEqual(train.outputs, ['{workspaceRoot}/data/toy/train-4v9._']);
  assert.deepEqual(train.dependsOn, ['ingest']);
  assert.deepEqual(combo.targets.similarity.dependsOn, ['ingest', 'train', 'probe', 'ntk'].map((target) => ({ projects: ['toy/4v9._'], target })));
  assert.deepEqual(combo.targets.all.dependsOn, [{ projects: ['toy/4v9.both'], target: 'report' }]);
  assert.equal(combo.targets.all.executor, 'nx:noop');
  assert.deepEqual(all.get('toy')!.targets.all.dependsOn, ['4v9.relative', '4v9.both', '5v8.relative', '5v8.both'].map((c) => ({ projects: [`toy/${c}`], target: 'all' })));
  // no hashes in any project name, command or folder
  for (const p of all.values()) {
    assert.doesNotMatch(p.name, /[0-9a-f]{8}/);
    for (const t of Object.values(p.targets)) assert.doesNotMatch(JSON.stringify([t.options, t.outputs]), /[0-9a-f]{10}/);
  }
});

test('editing one axis value changes nothing Nx hashes of any project, and the inputs only of the stage instances it reaches', async () => {
  const before = await projects({ ...BASE, matrix: MATRIX });
  const after = await projects({ ...BASE, matrix: { ...MATRIX, use: { ...MATRIX.use, both: { 'similarity.use': ['ntk', 'relative'] } } } });
  assert.deepEqual([...after.keys()], [...before.keys()]);
  const changed: string[] = [];
  for (const [name, p] of after) {
    assert.deepEqual(hashedConfig(p), hashedConfig(before.get(name)!), name);
    for (const [target, t] of Object.entries(p.targets)) if (JSON.stringify(t.inputs) !== JSON.stringify(before.get(name)!.targets[target].inputs)) changed.push(`${name}:${target}`);
  }
  assert.deepEqual(changed, ['toy/4v9.both:similarity', 'toy/5v8.both:similarity']);
});

test('matrix instances that read files outside the workspace keep a runtime input with their key', async () => {
  await withTempDir('raw-', (raw) => withTempDir('plugin-', async (dir) => {
    const file = await pipelineFile(dir, { ...BASE, dataset: { ...BASE.dataset, source: 'mnist', path: raw }, matrix: MATRIX });
    const plan = planPipeline(readPipeline(file));
    const ingest = plan.instances.find((i) => i.stage === 'ingest')!;
    const shared = pipelineProjects(plan, 'pipelines/toy.json', code).find((p) => p.name === `toy/${ingest.id}`)!;
    assert.equal(runtimes(shared.targets.ingest)[0], `node --import tsx tools/nx-plugin/print-stage-key.ts pipelines/toy.json ingest ${ingest.key}`);
    const empty = await stageKey(file, 'ingest', ingest.key);
    assert.match(empty, /"primary":\[4,9\]|"primary":\[5,8\]/);
    await writeFile(join(raw, 'train-images-idx3-ubyte'), 'x');
    assert.notEqual(await stageKey(file, 'ingest', ingest.key), empty);
  }));
});
