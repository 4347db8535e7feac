import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { cpus, platform, arch, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

/**
 * Where and with what a report was made: the code's git commit, the versions
 * of the libraries that compute the results, and the machine. Nothing here
 * changes between two runs of the same commit on the same machine (no
 * wall-clock date: the commit's own date stands in for it), so the report
 * stays byte-identical.
 */
export interface RunEnvironment {
  /** The commit of the code that wrote the report; absent outside a git checkout. */
  git?: { commit: string; date: string; dirty: boolean };
  node: string;
  /** Version of each library present, by package name. */
  packages: Record<string, string>;
  machine: { cpu: string; cores: number; memoryGiB: number; os: string };
}

/** The libraries whose versions can change the numbers or the pages. */
export const PROVENANCE_PACKAGES = [
  '@tensorflow/tfjs-core', '@tensorflow/tfjs-backend-wasm', '@tensorflow/tfjs-node', 'apache-arrow', 'nx', 'vega', 'vega-lite',
] as const;

const HERE = dirname(fileURLToPath(import.meta.url));
const run = promisify(execFile);

async function git(args: string[]): Promise<string> {
  return (await run('git', ['-C', HERE, ...args], { encoding: 'utf8' })).stdout.trim();
}

/** The commit, its committer date and whether tracked files differ from it (untracked files do not count). */
async function gitState(): Promise<RunEnvironment['git']> {
  try {
    const [commit, date, status] = await Promise.all([
      git(['rev-parse', 'HEAD']), git(['show', '-s', '--format=%cI', 'HEAD']), git(['status', '--porcelain', '--untracked-files=no']),
    ]);
    return { commit, date, dirty: status !== '' };
  } catch {
    return undefined;
  }
}

/** The installed version of a package, from the nearest node_modules/NAME/package.json above this file. */
export function installedVersion(name: string, from = HERE): string | undefined {
  for (let dir = from; ; dir = dirname(dir)) {
    const file = join(dir, 'node_modules', name, 'package.json');
    if (existsSync(file)) return (JSON.parse(readFileSync(file, 'utf8')) as { version?: string }).version;
    if (dirname(dir) === dir) return undefined;
  }
}

export async function readRunEnvironment(): Promise<RunEnvironment> {
  const packages: Record<string, string> = {};
  for (const name of PROVENANCE_PACKAGES) {
    const version = installedVersion(name);
    if (version) packages[name] = version;
  }
  const cpu = cpus();
  const git = await gitState();
  return {
    ...(git ? { git } : {}),
    node: process.version,
    packages,
    machine: { cpu: cpu[0]?.model.trim() ?? 'unknown', cores: cpu.length, memoryGiB: Math.round(totalmem() / 2 ** 30), os: `${platform()} ${arch()}` },
  };
}
