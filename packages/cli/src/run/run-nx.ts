import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/** Runs `nx run PROJECT:TARGET` in the workspace with Nx kept offline and quiet. */
export function runNx(args: string[], cwd = process.cwd()): Promise<number> {
  const nxBin = require.resolve('nx/bin/nx.js');
  return new Promise((resolveExit, reject) => {
    const child = spawn(process.execPath, [nxBin, ...args], {
      cwd,
      stdio: ['ignore', 'inherit', 'inherit'],
      env: { ...process.env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true', NX_TUI: 'false', NX_SKIP_NX_CACHE: undefined, ELASTICITY_RUN: '1' },
    });
    child.on('error', reject);
    child.on('exit', (code, signal) => resolveExit(code ?? (signal ? 1 : 0)));
  });
}
