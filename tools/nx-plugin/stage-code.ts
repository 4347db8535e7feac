/**
 * The code a stage runs, as its Nx cache key sees it: workspace packages,
 * runner files and npm packages. plugin.ts turns it into the stage targets'
 * inputs, so a task re-runs exactly when code it executes changed:
 *
 * - projects: the stage's package and every workspace package it depends on,
 *   transitively, by the package.json `dependencies` (and optional and peer
 *   ones; devDependencies are for tests). Nx hashes their `production` files.
 * - files: the runner, i.e. the CLI entry (bin.ts and main.ts, without the
 *   other commands main.ts registers), the stage's command module with the
 *   modules it imports, and the pipeline model's light entry (the index.ts of
 *   @elasticity/pipeline with what it imports: it reads the pipeline and
 *   selects the section), found by following relative imports.
 * - externalDependencies: the npm packages those packages depend on and the
 *   runner files import, as Nx names their lockfile entries (`npm:tar@7.5.23`
 *   when a package has its own nested version); Nx adds their npm
 *   dependencies and hashes every one at its lockfile version.
 *
 * Nx's project graph in this workspace comes from the same package.json
 * files and lockfile (no @nx/js, so it does not read imports);
 * tools/e2e/cache-keys.test.ts builds that graph and checks the result
 * against what each stage's production files import.
 */
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join, posix } from 'node:path';
import type { StageName } from '@elasticity/pipeline';

export interface StageCode {
  /** Workspace packages (Nx project names), sorted. */
  projects: string[];
  /** Runner files, workspace-relative, sorted. */
  files: string[];
  /** npm packages as Nx external node names, sorted. */
  externalDependencies: string[];
}

interface WorkspacePackage {
  name: string;
  /** Folder relative to the workspace root, "/"-separated. */
  dir: string;
  /** Runtime dependencies: name -> range. */
  dependencies: Record<string, string>;
  exports: unknown;
}

interface Workspace {
  root: string;
  packages: Map<string, WorkspacePackage>;
  lock: Record<string, { version?: string; link?: boolean }>;
}

/** The CLI package and its entry, as the stage targets' command runs it. */
export const CLI_PACKAGE = '@elasticity/cli';
export const CLI_ENTRY = 'packages/cli/src/bin.ts';
/** What runs CLI_ENTRY: from a bundle of the sources, else through tsx (packages/cli/bin/bundle.mjs). */
export const CLI_LAUNCHER = 'packages/cli/bin/elasticity.js';
const PIPELINE_PACKAGE = '@elasticity/pipeline';

/** Reads the workspace once: its packages (root package.json `workspaces`, "dir/*" patterns) and the lockfile. */
export function readWorkspace(root: string): Workspace {
  const rootJson = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { workspaces?: string[] };
  const packages = new Map<string, WorkspacePackage>();
  for (const pattern of rootJson.workspaces ?? []) {
    const dirs = pattern.endsWith('/*')
      ? readdirSync(join(root, pattern.slice(0, -2)), { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => posix.join(pattern.slice(0, -2), d.name))
      : [pattern];
    for (const dir of dirs) {
      const file = join(root, dir, 'package.json');
      if (!existsSync(file)) continue;
      const json = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
      const dependencies = { ...(json.peerDependencies as object), ...(json.optionalDependencies as object), ...(json.dependencies as object) } as Record<string, string>;
      packages.set(json.name as string, { name: json.name as string, dir, dependencies, exports: json.exports });
    }
  }
  const lock = (JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8')) as { packages: Workspace['lock'] }).packages;
  return { root, packages, lock };
}

/** The package a bare import specifier names ("pure-rand/distribution/x" -> "pure-rand"), or undefined for Node's own modules. */
export function packageOf(specifier: string): string | undefined {
  if (specifier.startsWith('node:') || builtinModules.includes(specifier.split('/')[0])) return undefined;
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

/**
 * The modules a TypeScript file loads when it runs: static imports and
 * re-exports (not `import type`), side-effect imports, dynamic import() and
 * require()/require.resolve() of a literal. Comments are skipped.
 */
export function importsOf(source: string): string[] {
  const code = source.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
  const found: string[] = [];
  const patterns = [
    /\b(?:import|export)\s+(?!type\b)[^'";]*?\bfrom\s*['"]([^'"]+)['"]/g,
    /\bimport\s*['"]([^'"]+)['"]/g,
    /\bimport\(\s*['"]([^'"]+)['"]\s*\)/g,
    /\brequire(?:\.resolve)?\(\s*['"]([^'"]+)['"]\s*\)/g,
  ];
  for (const pattern of patterns) for (const m of code.matchAll(pattern)) found.push(m[1]);
  return [...new Set(found)];
}

/**
 * The Nx external node of npm package `name` as required from the workspace
 * folder `fromDir`: its nested copy there if the lockfile has one of another
 * version than the hoisted one (`npm:NAME@VERSION`), else the hoisted one
 * (`npm:NAME`), which is how Nx's npm lockfile parser names them.
 */
export function externalNode(ws: Workspace, fromDir: string, name: string): string {
  const hoisted = ws.lock[`node_modules/${name}`];
  const nested = ws.lock[`${fromDir}/node_modules/${name}`];
  if (nested?.version && nested.version !== hoisted?.version) return `npm:${name}@${nested.version}`;
  if (hoisted) return `npm:${name}`;
  throw new Error(`${fromDir}: npm package ${name} is not in package-lock.json (run npm install)`);
}

/** Follows relative imports from `entries`; `follow(from, to)` may refuse an edge. Returns the files and the bare specifiers they import, each with its file. */
function walk(ws: Workspace, entries: string[], follow: (from: string, to: string) => boolean = () => true): { files: Set<string>; bare: [file: string, specifier: string][] } {
  const files = new Set<string>();
  const bare: [string, string][] = [];
  const visit = (file: string) => {
    if (files.has(file)) return;
    files.add(file);
    for (const specifier of importsOf(readFileSync(join(ws.root, file), 'utf8'))) {
      if (!specifier.startsWith('.')) {
        bare.push([file, specifier]);
        continue;
      }
      const target = posix.normalize(posix.join(posix.dirname(file), specifier));
      if (follow(file, target)) visit(target);
    }
  };
  for (const entry of entries) visit(entry);
  return { files, bare };
}

function packageOfFile(ws: Workspace, file: string): WorkspacePackage {
  for (const p of ws.packages.values()) if (file.startsWith(`${p.dir}/`)) return p;
  throw new Error(`${file} lies in no workspace package`);
}

/** The light entry of a workspace package: the file its exports["."] names. */
function entryFile(p: WorkspacePackage): string {
  const dot = typeof p.exports === 'string' ? p.exports : (p.exports as Record<string, string> | undefined)?.['.'];
  if (!dot) throw new Error(`${p.dir}/package.json has no exports["."]`);
  return posix.join(p.dir, dot);
}

/** The code of one stage (see the module comment); `packageDir` is the stage's package folder from the stage table. */
export function stageCode(ws: Workspace, stage: StageName, packageDir: string): StageCode {
  const cli = ws.packages.get(CLI_PACKAGE);
  const pipeline = ws.packages.get(PIPELINE_PACKAGE);
  if (!cli || !pipeline) throw new Error(`the workspace has no ${CLI_PACKAGE} or ${PIPELINE_PACKAGE}`);
  const commands = posix.join(posix.dirname(CLI_ENTRY), 'commands/');
  // bin.ts -> main.ts, which registers every command: only this stage's command module runs.
  const entry = walk(ws, [CLI_ENTRY], (_from, to) => !to.startsWith(commands));
  const command = walk(ws, [`${commands}${stage}.ts`]);
  const model = walk(ws, [entryFile(pipeline)]);
  const files = new Set([...entry.files, ...command.files, ...model.files]);

  const roots = new Set<string>([...ws.packages.values()].filter((p) => p.dir === packageDir).map((p) => p.name));
  if (roots.size === 0) throw new Error(`no workspace package in ${packageDir} (stage ${stage})`);
  const external = new Set<string>();
  for (const [file, specifier] of [...entry.bare, ...command.bare, ...model.bare]) {
    const name = packageOf(specifier);
    if (name === undefined || name === PIPELINE_PACKAGE) continue; // the pipeline model: its light entry's files, above
    if (ws.packages.has(name)) roots.add(name);
    else external.add(externalNode(ws, packageOfFile(ws, file).dir, name));
  }
  const projects = new Set<string>();
  const visit = (name: string) => {
    if (projects.has(name)) return;
    projects.add(name);
    const p = ws.packages.get(name)!;
    for (const dep of Object.keys(p.dependencies)) {
      if (ws.packages.has(dep)) visit(dep);
      else external.add(externalNode(ws, p.dir, dep));
    }
  };
  for (const root of roots) visit(root);
  return { projects: [...projects].sort(), files: [...files].sort(), externalDependencies: [...external].sort() };
}
