// ESLint 9 flat config: typescript-eslint's recommended rules and Nx's module
// boundary rule, which reads each project's tags from the Nx project graph
// (the "nx" field of packages/*/package.json, tools/project.json).
import js from '@eslint/js';
import nx from '@nx/eslint-plugin';
import globals from 'globals';
import tseslint from 'typescript-eslint';

/** Which projects a project may import, by its tags (README: Team workflow). */
const depConstraints = [
  { sourceTag: 'scope:core', onlyDependOnLibsWithTags: ['scope:core'] },
  { sourceTag: 'scope:engine', onlyDependOnLibsWithTags: ['scope:core'] },
  // A stage never imports another stage (stages exchange Arrow files) nor anything above it.
  { sourceTag: 'scope:stage', onlyDependOnLibsWithTags: ['scope:core', 'scope:engine'] },
  // ... and within that, each stage names the libraries it may use.
  { sourceTag: 'deps:core', onlyDependOnLibsWithTags: ['scope:core'] },
  { sourceTag: 'deps:core+engine', onlyDependOnLibsWithTags: ['scope:core', 'scope:engine'] },
  { sourceTag: 'scope:report', onlyDependOnLibsWithTags: ['scope:core'] },
  { sourceTag: 'scope:service', onlyDependOnLibsWithTags: ['scope:core'] },
  // The pipeline model reads the stages' and the report's configuration schemas.
  { sourceTag: 'scope:pipeline', onlyDependOnLibsWithTags: ['scope:core', 'scope:stage', 'scope:report'] },
  { sourceTag: 'scope:cli', onlyDependOnLibsWithTags: ['*'] },
  { sourceTag: 'scope:tools', onlyDependOnLibsWithTags: ['*'] },
];

export default tseslint.config(
  { ignores: ['**/node_modules/**', 'data/**', '.nx/**', 'tools/bench/results/**', 'test-output/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.{ts,js,mjs,cjs}'],
    languageOptions: { globals: { ...globals.node } },
    plugins: { '@nx': nx },
    rules: {
      '@nx/enforce-module-boundaries': ['error', { enforceBuildableLibDependency: false, allow: [], depConstraints }],
      // A leading underscore marks a binding kept on purpose (a destructured field left out, a callback's unused argument).
      '@typescript-eslint/no-unused-vars': ['error', {
        argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_', ignoreRestSiblings: true,
      }],
      // Tests match aligned terminal tables, where a run of spaces is the thing checked.
      'no-regex-spaces': 'off',
    },
  },
  {
    // CommonJS files load with require() by definition.
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs' },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    // The shape of every yargs command module (the command table loads them); each module declares its own argument type.
    files: ['packages/cli/src/command-body.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    // The tests and scripts in tools/ may reach into a package's files (test fixtures, the CLI's main), not only its entry.
    files: ['tools/**'],
    rules: {
      '@nx/enforce-module-boundaries': ['error', { enforceBuildableLibDependency: false, allow: ['../../packages/**'], depConstraints }],
    },
  },
);
