import { test } from 'node:test';
import assert from 'node:assert/strict';
import { resolve } from 'node:path';
import { STAGES } from '@elasticity/pipeline';
import { externalNode, importsOf, packageOf, readWorkspace, stageCode } from './stage-code.ts';

const ROOT = resolve(import.meta.dirname, '..', '..');

test('importsOf finds what a module loads when it runs, and not its type-only imports or comments', () => {
  const source = [
    "import { a, type B } from 'alpha';",
    "import type { C } from 'types-only';",
    "export type { D } from 'types-too';",
    'import {',
    '  e,',
    '  f,',
    "} from './multi-line.ts';",
    "export { g } from '@scope/pkg/sub/path';",
    "export * from './all.ts';",
    "import 'side-effect';",
    "const lazy = await import('lazy');",
    "const native = require('native');",
    "const where = require.resolve('wasm/package.json');",
    "// import { x } from 'commented-out';",
    "/* import { y } from 'block-comment'; */",
    "export const text = 'from here';",
  ].join('\n');
  assert.deepEqual(importsOf(source).sort(), ['./all.ts', './multi-line.ts', '@scope/pkg/sub/path', 'alpha', 'lazy', 'native', 'side-effect', 'wasm/package.json']);
});

test('packageOf names the package of a specifier, and nothing for Node\'s own modules', () => {
  assert.equal(packageOf('pure-rand/distribution/uniformInt'), 'pure-rand');
  assert.equal(packageOf('@tensorflow/tfjs-backend-wasm/package.json'), '@tensorflow/tfjs-backend-wasm');
  assert.equal(packageOf('node:fs'), undefined);
  assert.equal(packageOf('fs/promises'), undefined);
});

test('externalNode names lockfile entries as Nx does: hoisted "npm:NAME", a nested other version "npm:NAME@VERSION"', () => {
  const ws = { root: '/', packages: new Map(), lock: { 'node_modules/tar': { version: '6.2.1' }, 'packages/datasets/node_modules/tar': { version: '7.5.23' }, 'packages/other/node_modules/tar': { version: '6.2.1' } } };
  assert.equal(externalNode(ws, 'packages/datasets', 'tar'), 'npm:tar@7.5.23');
  assert.equal(externalNode(ws, 'packages/other', 'tar'), 'npm:tar');
  assert.equal(externalNode(ws, 'packages/training', 'tar'), 'npm:tar');
  assert.throws(() => externalNode(ws, 'packages/training', 'absent'), /packages\/training: npm package absent is not in package-lock.json/);
});

test('in this workspace each stage runs its own package, the packages below it and the runner, and no other stage\'s code', () => {
  const ws = readWorkspace(ROOT);
  const stagePackages = new Set(STAGES.map((s) => `@elasticity/${s.packageDir.split('/')[1]}`));
  for (const spec of STAGES) {
    const code = stageCode(ws, spec.name, spec.packageDir);
    const own = `@elasticity/${spec.packageDir.split('/')[1]}`;
    assert.deepEqual(code.projects.filter((p) => stagePackages.has(p)), [own], spec.name);
    assert.ok(code.projects.includes('@elasticity/core'), spec.name);
    assert.ok(!code.projects.includes('@elasticity/cli') && !code.projects.includes('@elasticity/pipeline'), `${spec.name}: runner packages by their files only`);
    assert.deepEqual(code.files.filter((f) => f.includes('/commands/')).filter((f) => !/(stage-command|sharded-stage)\.ts$/.test(f)), [`packages/cli/src/commands/${spec.name}.ts`]);
    assert.ok(code.files.includes('packages/cli/src/main.ts') && code.files.includes('packages/pipeline/src/index.ts'), spec.name);
    assert.ok(code.externalDependencies.includes('npm:yargs'), `${spec.name}: the CLI's argument parser`);
  }
  assert.deepEqual(stageCode(ws, 'probe', 'packages/probing').projects, ['@elasticity/core', '@elasticity/mlp-engine', '@elasticity/probing']);
  assert.throws(() => stageCode(ws, 'train', 'packages/nowhere'), /no workspace package in packages\/nowhere/);
});
