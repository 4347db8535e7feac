import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';

/**
 * What makes a package ownable (README: Team workflow): a CODEOWNERS line, one
 * role tag that the boundary rule knows, and the three per-package targets.
 * A package added without them fails here.
 */
const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const PACKAGES = readdirSync(join(REPO, 'packages'), { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name);
const OWNED = new Set(
  readFileSync(join(REPO, '.github/CODEOWNERS'), 'utf8').split('\n')
    .map((line) => line.trim()).filter((line) => line && !line.startsWith('#'))
    .map((line) => line.split(/\s+/)).filter((fields) => fields.length >= 2 && fields.slice(1).every((owner) => owner.startsWith('@')))
    .map(([path]) => path),
);

/** The source tags the boundary rule constrains in the effective ESLint config of a file. */
async function constrainedTags(file: string): Promise<Set<string>> {
  const config = await new ESLint({ cwd: REPO }).calculateConfigForFile(join(REPO, file));
  const rule = config.rules?.['@nx/enforce-module-boundaries'] as [number, { depConstraints: { sourceTag?: string }[] }] | undefined;
  return new Set((rule?.[1].depConstraints ?? []).flatMap((c) => (c.sourceTag ? [c.sourceTag] : [])));
}

test('packages/ is read: there are packages to check', () => {
  assert.ok(PACKAGES.includes('core') && PACKAGES.includes('cli'), PACKAGES.join(', '));
});

for (const name of PACKAGES) {
  test(`packages/${name}: a CODEOWNERS line, one scope tag the boundary rule constrains, typecheck/test/lint targets, a tsconfig.json`, async () => {
    assert.ok(OWNED.has(`/packages/${name}/`), `.github/CODEOWNERS: no line for /packages/${name}/`);
    const nx = JSON.parse(readFileSync(join(REPO, 'packages', name, 'package.json'), 'utf8')).nx ?? {};
    const scopes = (nx.tags ?? []).filter((t: string) => t.startsWith('scope:'));
    assert.equal(scopes.length, 1, `packages/${name}/package.json: nx.tags needs exactly one scope:* tag, has ${JSON.stringify(nx.tags)}`);
    assert.ok((await constrainedTags(`packages/${name}/src/index.ts`)).has(scopes[0]), `eslint.config.js: no boundary constraint for ${scopes[0]} on packages/${name}`);
    assert.deepEqual(Object.keys(nx.targets ?? {}).sort(), ['lint', 'test', 'typecheck'], `packages/${name}/package.json: nx.targets`);
    const tsconfig = JSON.parse(readFileSync(join(REPO, 'packages', name, 'tsconfig.json'), 'utf8'));
    assert.equal(tsconfig.extends, '../../tsconfig.base.json', `packages/${name}/tsconfig.json: extends`);
  });
}
