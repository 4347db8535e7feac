import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { withRemoteCache } from '@elasticity/remote-cache/relay';
import { NxOutputFilter, pipeLines } from './nx-output.ts';

const require = createRequire(import.meta.url);

export interface NxRunOptions {
  cwd?: string;
  /** Nx's output unfiltered, cached stages' logs replayed (nx --verbose). */
  verbose?: boolean;
  /** Prefix each streamed line with its Nx project (matrix runs: many instances of one stage at once). */
  prefix?: boolean;
}

/**
 * Environment variables Nx 23 takes for an AI agent at the terminal; it then
 * prints task output only as file paths (output style "summary"), so a run
 * would show no progress. Left out of Nx's environment.
 */
const AGENT_MARKERS = ['CLAUDECODE', 'CLAUDE_CODE', 'CODEX_THREAD_ID', 'SUPERSET_AGENT_ID', 'CURSOR_TRACE_ID', 'GEMINI_CLI', 'REPL_ID', 'VSCODE_AGENT', 'OPENCODE', 'COPILOT_CLI'];

/**
 * Runs `nx ARGS` in the workspace, offline and without its terminal UI,
 * with each running stage's output streamed as it comes (NX_STREAM_OUTPUT)
 * under Nx's default style, which collapses a cached stage to one line; the
 * rest of Nx's decoration is filtered (nx-output.ts). Resolves to Nx's exit
 * code. The stages see ELASTICITY_RUN=1 (the report stage then leaves the
 * table to `elasticity run`). With a remote cache configured
 * (NX_SELF_HOSTED_REMOTE_CACHE_SERVER), Nx talks to it through a relay on
 * 127.0.0.1 for the length of the run, so that a server that is down, dies
 * or refuses the token costs remote hits (one warning), never the run.
 */
export async function runNx(args: string[], options: NxRunOptions = {}): Promise<number> {
  const nxBin = require.resolve('nx/bin/nx.js');
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NX_DAEMON: 'false', NX_NO_CLOUD: 'true', NX_TUI: 'false', ELASTICITY_RUN: '1',
    NX_STREAM_OUTPUT: 'true', NX_PREFIX_OUTPUT: options.prefix ? 'true' : 'false',
  };
  delete env.NX_SKIP_NX_CACHE;
  for (const marker of AGENT_MARKERS) delete env[marker];
  const verbose = options.verbose === true;
  const remote = await withRemoteCache(env, (line) => void process.stderr.write(`warning: ${line}\n`));
  try {
    return await spawnNx(nxBin, args, options.cwd ?? process.cwd(), remote.env, verbose);
  } finally {
    await remote.close();
  }
}

function spawnNx(nxBin: string, args: string[], cwd: string, env: NodeJS.ProcessEnv, verbose: boolean): Promise<number> {
  return new Promise((resolveExit, reject) => {
    const child = spawn(process.execPath, [nxBin, ...args, ...(verbose ? ['--verbose'] : [])], {
      cwd,
      stdio: ['ignore', verbose ? 'inherit' : 'pipe', verbose ? 'inherit' : 'pipe'],
      env,
    });
    const stdout = new NxOutputFilter();
    const stderr = new NxOutputFilter();
    const ends = verbose ? [] : [pipeLines(child.stdout!, (line) => stdout.line(line), process.stdout), pipeLines(child.stderr!, (line) => stderr.line(line), process.stderr)];
    child.on('error', reject);
    child.on('close', (code, signal) => {
      for (const end of ends) end();
      for (const line of stdout.end()) process.stdout.write(line + '\n');
      resolveExit(code ?? (signal ? 1 : 0));
    });
  });
}
