import { copyFile, mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { stripVTControlCharacters } from 'node:util';

export const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/**
 * What removes a throw-away workspace when its user is done with it: a
 * test's context (`t.after`: once the test ends, passed or failed), or a
 * Removals where there is no test context.
 */
export interface Cleanup {
  after(remove: () => Promise<void>): void;
}

/** A Cleanup for code without a test's context (a describe block's `before`, a benchmark script): `removeAll()` runs what was registered. */
export class Removals implements Cleanup {
  readonly #pending: Array<() => Promise<void>> = [];

  after(remove: () => Promise<void>): void {
    this.#pending.push(remove);
  }

  async removeAll(): Promise<void> {
    for (const remove of this.#pending.splice(0)) await remove();
  }
}

/**
 * A throw-away Nx workspace that shares this repository's code and
 * node_modules (symlinks) but has its own pipelines/, data/ and Nx cache;
 * `cleanup` removes it.
 */
export async function scratchWorkspace(cleanup: Cleanup, pipelines: Record<string, object>): Promise<string> {
  const root = await mkdtemp(join(tmpdir(), 'elasticity-ws-'));
  cleanup.after(() => rm(root, { recursive: true, force: true }));
  for (const file of ['package.json', 'package-lock.json', 'nx.json', 'tsconfig.base.json', 'tsconfig.json']) await copyFile(join(REPO, file), join(root, file));
  for (const dir of ['node_modules', 'packages', 'tools']) await symlink(join(REPO, dir), join(root, dir));
  await mkdir(join(root, 'pipelines'));
  for (const [name, body] of Object.entries(pipelines)) await writePipeline(root, name, body);
  return root;
}

export async function writePipeline(root: string, name: string, body: object): Promise<void> {
  await writeFile(join(root, 'pipelines', `${name}.json`), JSON.stringify(body, null, 2));
}

export interface CliResult {
  status: number;
  stdout: string;
  stderr: string;
}

/** Runs the elasticity CLI in `cwd` (a fresh process, as a user would). */
export function cli(cwd: string, args: string[], env: Record<string, string> = {}): CliResult {
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(REPO, 'packages/cli/src/bin.ts'), ...args], {
    cwd, encoding: 'utf8', env: { ...process.env, ...env }, maxBuffer: 64 * 1024 * 1024,
  });
  // Nx colours its output under CI=true: compare text without the escape codes.
  return { status: r.status ?? 1, stdout: stripVTControlCharacters(r.stdout), stderr: stripVTControlCharacters(r.stderr) };
}

/** "Nx read the output from the cache ... for A out of B tasks" → [A, B]; [0, B] when none came from the cache. */
export function cacheHits(nxOutput: string): { fromCache: number; total: number } {
  const hit = /from the cache instead of running the command for (\d+) out of (\d+) tasks/.exec(nxOutput);
  if (hit) return { fromCache: Number(hit[1]), total: Number(hit[2]) };
  // nx run: "for project P and N tasks it depends on"; nx run-many: "for K projects and N tasks they depend on"
  const ran = /Successfully ran targets? .*? for (?:project \S+|(\d+) projects?) and (\d+) tasks? (?:it depends|they depend) on/.exec(nxOutput);
  return { fromCache: 0, total: ran ? (ran[1] ? Number(ran[1]) : 1) + Number(ran[2]) : -1 };
}
