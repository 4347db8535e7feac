import { cp, mkdir, mkdtemp, readdir, rm, symlink } from 'node:fs/promises';
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stripVTControlCharacters } from 'node:util';
import { REPO, writePipeline } from './workspace.ts';
import type { Cleanup } from './workspace.ts';

/**
 * A throw-away workspace with its own copy of packages/ (scratchWorkspace
 * links it, and Nx sees no projects behind a link): the workspace packages
 * are Nx projects, their files can be edited, and its node_modules links
 * every installed package except @elasticity/*, which point at the copies.
 * Nx keeps its cache in the workspace (NX_CACHE_DIRECTORY, see nx()).
 * `cleanup` removes it.
 */
export async function workspaceCopy(cleanup: Cleanup, pipelines: Record<string, object>): Promise<string> {
  const root = await mkdtemp(join(tmpdir(), 'elasticity-copy-'));
  cleanup.after(() => rm(root, { recursive: true, force: true }));
  for (const file of ['package.json', 'package-lock.json', 'nx.json', 'tsconfig.base.json', 'tsconfig.json', '.gitignore']) await cp(join(REPO, file), join(root, file));
  await cp(join(REPO, 'packages'), join(root, 'packages'), { recursive: true, filter: (src) => !src.endsWith('/node_modules') && !src.includes('/node_modules/') });
  for (const name of await readdir(join(REPO, 'packages'))) {
    const nested = join(REPO, 'packages', name, 'node_modules');
    if ((await readdir(join(REPO, 'packages', name))).includes('node_modules')) await symlink(nested, join(root, 'packages', name, 'node_modules'));
  }
  await symlink(join(REPO, 'tools'), join(root, 'tools'));
  await mkdir(join(root, 'node_modules', '@elasticity'), { recursive: true });
  for (const entry of await readdir(join(REPO, 'node_modules'))) {
    if (entry !== '@elasticity') await symlink(join(REPO, 'node_modules', entry), join(root, 'node_modules', entry));
  }
  for (const name of await readdir(join(REPO, 'packages'))) await symlink(join(root, 'packages', name), join(root, 'node_modules', '@elasticity', name));
  await mkdir(join(root, 'pipelines'));
  for (const [name, body] of Object.entries(pipelines)) await writePipeline(root, name, body);
  return root;
}

export interface NxRun {
  status: number;
  output: string;
}

/** Runs Nx in `cwd` as the CLI does (no daemon, offline, plain output), with the workspace's own cache folder. */
export function nx(cwd: string, args: string[]): NxRun {
  const r = spawnSync(process.execPath, [createRequire(import.meta.url).resolve('nx/bin/nx.js'), ...args], { cwd, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, env: nxEnv(cwd) });
  return { status: r.status ?? 1, output: stripVTControlCharacters(`${r.stdout}${r.stderr}`) };
}

/** The environment the CLI gives Nx, with the workspace's own cache folder (Nx 23 otherwise shares one per user). */
export function nxEnv(cwd: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true', NX_TUI: 'false', NX_CACHE_DIRECTORY: join(cwd, '.nx', 'cache') };
  delete env.NX_SKIP_NX_CACHE;
  return env;
}

/** The tasks of an Nx run (--outputStyle=static) that came from the cache, and those that ran. */
export function taskOutcomes(output: string): { cached: string[]; ran: string[] } {
  const cached: string[] = [];
  const ran: string[] = [];
  for (const m of output.matchAll(/^> nx run (\S+)(.*)$/gm)) (/\[(local cache|existing outputs match the cache, left as is|remote cache)\]/.test(m[2]) ? cached : ran).push(m[1]);
  return { cached: cached.sort(), ran: ran.sort() };
}
