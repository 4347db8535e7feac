// One machine of a run spread over several, simulated by a workspace clone: shared by the shared-cache e2e test and benchmark.
import { spawn } from 'node:child_process';
import { mkdir, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { isDeepStrictEqual, stripVTControlCharacters } from 'node:util';
import { writePipeline } from './workspace.ts';
import type { CliResult, Cleanup } from './workspace.ts';
import { workspaceCopy } from './workspace-copy.ts';
import { fileHashes } from './stage-output.ts';

export interface WorkerRun extends CliResult {
  /** Wall-clock seconds from spawn to exit. */
  seconds: number;
}

/**
 * `elasticity ARGS --backend wasm` in the clone `cwd` as a fresh process, as
 * a machine of its own would run it: the clone's own CLI (a copy of the
 * code is not changed by work in this checkout), an empty Nx cache folder of its own
 * (cwd/.nx-cache), no NX_ variable from this process, and the given remote
 * cache (none: no remote cache at all). Resolves when it exits.
 */
export function runWorker(cwd: string, args: string[], remote?: { url: string; token: string }): Promise<WorkerRun> {
  const env: NodeJS.ProcessEnv = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith('NX_')));
  env.NX_CACHE_DIRECTORY = join(cwd, '.nx-cache');
  if (remote) Object.assign(env, { NX_SELF_HOSTED_REMOTE_CACHE_SERVER: remote.url, NX_SELF_HOSTED_REMOTE_CACHE_ACCESS_TOKEN: remote.token });
  const started = performance.now();
  const child = spawn(process.execPath, ['--import', 'tsx', join(cwd, 'packages/cli/src/bin.ts'), ...args, '--backend', 'wasm'], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => (stdout += chunk));
  child.stderr.on('data', (chunk) => (stderr += chunk));
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => resolve({
      status: code ?? 1,
      stdout: stripVTControlCharacters(stdout),
      stderr: stripVTControlCharacters(stderr),
      seconds: Number(((performance.now() - started) / 1000).toFixed(2)),
    }));
  });
}

/**
 * The tasks of an `elasticity run` (Nx's streamed output): those Nx ran
 * ("> nx run P:T") and those it took from the remote or the local cache
 * ("✔  nx run P:T  [remote cache]"), each sorted.
 */
export function runOutcomes(output: string): { ran: string[]; remote: string[]; local: string[] } {
  const pick = (re: RegExp) => [...output.matchAll(re)].map((m) => m[1]).sort();
  return { ran: pick(/^> nx run (\S+)/gm), remote: pick(/nx run (\S+) +\[remote cache\]/g), local: pick(/nx run (\S+) +\[local cache\]/g) };
}

/**
 * The machines: `count` workspace copies (workspaceCopy) holding `pipelines`
 * (names may hold "/"), made one after the other from this checkout and
 * made again if their packages/ differ (other work edits the checkout while
 * a test runs). Outside git, so a report names no commit that moves either.
 * `cleanup` removes them.
 */
export async function sameCodeCopies(cleanup: Cleanup, count: number, pipelines: Record<string, object>): Promise<string[]> {
  for (let attempt = 0; attempt < 3; attempt++) {
    const copies: string[] = [];
    for (let i = 0; i < count; i++) {
      const ws = await workspaceCopy(cleanup, {});
      for (const [name, body] of Object.entries(pipelines)) {
        await mkdir(join(ws, 'pipelines', dirname(name)), { recursive: true });
        await writePipeline(ws, name, body);
      }
      copies.push(ws);
    }
    const code = await Promise.all(copies.map((ws) => fileHashes(join(ws, 'packages'))));
    if (code.every((c) => isDeepStrictEqual(c, code[0]))) return copies;
    for (const ws of copies) await rm(ws, { recursive: true, force: true });
  }
  throw new Error('the checkout changed during each of 3 attempts to copy it');
}
