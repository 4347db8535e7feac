// Helpers for this package's tests with the real Nx client (the repository's nx 23): a temp workspace and `nx` runs as a fresh clone would make them.
import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { stripVTControlCharacters } from 'node:util';

const NX_ROOT = dirname(createRequire(import.meta.url).resolve('nx/package.json'));
const NX_BIN = join(NX_ROOT, 'dist', 'bin', 'nx.js');

/** The shell command of a cached `build` that writes the time in nanoseconds to PROJECT/out/result.txt. */
export const timestampCommand = (project: string) => `mkdir -p ${project}/out && date +%s%N > ${project}/out/result.txt`;

/**
 * A workspace of projects, each with a cached `build` target running its
 * command (outputs: {projectRoot}/out); `dependsOn` makes a project's build
 * wait for those projects' builds.
 */
export async function createWorkspace(root: string, projects: Record<string, { command: string; dependsOn?: string[] }>): Promise<void> {
  await mkdir(join(root, 'node_modules'), { recursive: true });
  await symlink(NX_ROOT, join(root, 'node_modules', 'nx'), 'dir'); // Nx insists on finding itself in the workspace
  await writeFile(join(root, 'nx.json'), '{}\n');
  for (const [name, { command, dependsOn }] of Object.entries(projects)) await writeProject(root, name, command, dependsOn);
}

export async function writeProject(root: string, name: string, command: string, dependsOn: string[] = []): Promise<void> {
  await mkdir(join(root, name), { recursive: true });
  await writeFile(join(root, name, 'project.json'), JSON.stringify({
    name,
    implicitDependencies: dependsOn,
    targets: {
      build: {
        executor: 'nx:run-commands', cache: true, outputs: ['{projectRoot}/out'], options: { command },
        ...(dependsOn.length > 0 ? { dependsOn: ['^build'] } : {}),
      },
    },
  }));
}

export interface NxRun {
  code: number | null;
  output: string;
  /** PROJECT/out/result.txt after the run, per project, or undefined. */
  results: Record<string, string | undefined>;
}

/**
 * `nx ARGS` (default: build every project, one task at a time) as a fresh
 * clone would run it: no outputs, no workspace data, an empty local cache
 * folder of its own (NX_CACHE_DIRECTORY), no daemon, no Nx Cloud, the given
 * remote cache.
 */
export async function runNx(root: string, projects: string[], remote: { url: string; token: string }, args = ['run-many', '-t', 'build', '--parallel', '1']): Promise<NxRun> {
  for (const project of projects) await rm(join(root, project, 'out'), { recursive: true, force: true });
  await rm(join(root, '.nx'), { recursive: true, force: true });
  const cacheDir = await mkdtemp(join(tmpdir(), 'nx-local-cache-'));
  const env: NodeJS.ProcessEnv = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith('NX_')));
  Object.assign(env, {
    NX_DAEMON: 'false',
    NX_NO_CLOUD: 'true',
    NX_TUI: 'false',
    NX_CACHE_DIRECTORY: cacheDir,
    NX_SELF_HOSTED_REMOTE_CACHE_SERVER: remote.url,
    NX_SELF_HOSTED_REMOTE_CACHE_ACCESS_TOKEN: remote.token,
  });
  try {
    const child = spawn(process.execPath, [NX_BIN, ...args], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    const results: Record<string, string | undefined> = {};
    for (const project of projects) results[project] = await readFile(join(root, project, 'out', 'result.txt'), 'utf8').catch(() => undefined);
    // Nx colours its output under CI=true: tests read the text without the escape codes.
    return { code, output: stripVTControlCharacters(output), results };
  } finally {
    await rm(cacheDir, { recursive: true, force: true });
  }
}
