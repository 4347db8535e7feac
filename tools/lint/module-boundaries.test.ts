import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';
import { createProjectGraphAsync } from 'nx/src/devkit-exports.js';

/**
 * The boundary rule of eslint.config.js (README: Team workflow), run through
 * ESLint's Node API with the workspace's own config on files that exist only
 * in memory: each case is a one-line module placed in a package and the
 * errors of @nx/enforce-module-boundaries it gets.
 */
const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const RULE = '@nx/enforce-module-boundaries';
let eslint: ESLint;

before(async () => {
  // The rule reads Nx's cached project graph (and skips itself when there is none): make it current.
  await createProjectGraphAsync({ exitOnError: false });
  eslint = new ESLint({ cwd: REPO });
});

async function boundaryErrors(file: string, source: string): Promise<string[]> {
  const [result] = await eslint.lintText(`${source}\nexport const probe = 1;\n`, { filePath: join(REPO, file) });
  return result.messages.filter((m) => m.ruleId === RULE || m.fatal).map((m) => m.message);
}

const forbidden: [string, string, string, RegExp][] = [
  ['a stage imports another stage', 'packages/training/src/probe.ts', "import { SIMILARITY_SCHEMA_VERSION } from '@elasticity/similarity';", /"scope:stage" can only depend on libs tagged with "scope:core", "scope:engine"/],
  ['a stage without the engine imports it', 'packages/datasets/src/probe.ts', "import { MlpWeights } from '@elasticity/mlp-engine';", /"deps:core" can only depend on libs tagged with "scope:core"/],
  ['a stage imports the report', 'packages/clustering/src/probe.ts', "import * as report from '@elasticity/report';", /"scope:stage" can only depend/],
  ['core imports a stage', 'packages/core/src/probe.ts', "import * as datasets from '@elasticity/datasets';", /Circular dependency between "@elasticity\/core" and "@elasticity\/datasets"/],
  ['the engine imports a stage', 'packages/mlp-engine/src/probe.ts', "import * as datasets from '@elasticity/datasets';", /"scope:engine" can only depend on libs tagged with "scope:core"/],
  ['the report imports a stage', 'packages/report/src/probe.ts', "import * as training from '@elasticity/training';", /"scope:report" can only depend on libs tagged with "scope:core"/],
  ['the pipeline model imports the engine', 'packages/pipeline/src/probe.ts', "import * as engine from '@elasticity/mlp-engine';", /"scope:pipeline" can only depend on libs tagged with "scope:core", "scope:stage", "scope:report"/],
  ['the pipeline model imports the CLI', 'packages/pipeline/src/probe.ts', "import * as cli from '@elasticity/cli';", /Circular dependency between "@elasticity\/pipeline" and "@elasticity\/cli"/],
  ['a stage reaches into another by a relative path', 'packages/ntk/src/probe.ts', "import * as probing from '../../probing/src/index.ts';", /relative or absolute path/],
];

for (const [what, file, source, message] of forbidden) {
  test(`lint fails when ${what}`, async () => {
    const errors = await boundaryErrors(file, source);
    assert.equal(errors.length, 1, `${file}: ${source}\n${errors.join('\n')}`);
    assert.match(errors[0], message);
  });
}

const allowed: [string, string, string][] = [
  ['a stage imports core', 'packages/similarity/src/probe.ts', "import { ElasticityError } from '@elasticity/core';"],
  ['probing imports the engine', 'packages/probing/src/probe.ts', "import * as engine from '@elasticity/mlp-engine';"],
  ['ntk imports the engine', 'packages/ntk/src/probe.ts', "import * as engine from '@elasticity/mlp-engine';"],
  ['the report imports core', 'packages/report/src/probe.ts', "import * as core from '@elasticity/core';"],
  ['the pipeline model imports a stage schema', 'packages/pipeline/src/probe.ts', "import * as clustering from '@elasticity/clustering';"],
  ['the CLI imports the pipeline schema entry', 'packages/cli/src/probe.ts', "import * as schema from '@elasticity/pipeline/schema';"],
  ['a stage\'s test imports core\'s testing entry', 'packages/clustering/src/probe.test.ts', "import { withTempDir } from '@elasticity/core/testing';"],
  ['a tool reaches into a package', 'tools/e2e/probe.ts', "import * as fixtures from '../../packages/datasets/src/readers/fixtures.ts';"],
];

for (const [what, file, source] of allowed) {
  test(`lint passes when ${what}`, async () => {
    assert.deepEqual(await boundaryErrors(file, source), []);
  });
}
