import { execFile } from 'node:child_process';
import { ElasticityError } from '@elasticity/core';

/** Largest file `compare` reads from git (results.json with every per-seed value stays far below). */
const MAX_BYTES = 256 * 1024 * 1024;

interface GitFailure {
  missing: boolean;
  message: string;
}

/** Runs git (no shell) in `cwd`; resolves to stdout or to why it failed. */
function git(args: string[], cwd: string): Promise<{ stdout: string } | GitFailure> {
  return new Promise((resolveResult) => {
    execFile('git', args, { cwd, maxBuffer: MAX_BYTES, encoding: 'utf8' }, (error, stdout, stderr) => {
      if (!error) return resolveResult({ stdout });
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') return resolveResult({ missing: true, message: 'git is not installed (or not on PATH)' });
      const firstLine = String(stderr).trim().split('\n')[0] || error.message;
      resolveResult({ missing: false, message: firstLine });
    });
  });
}

/**
 * The object type (blob, tree, ...) of `REV:PATH`, or `absent` with git's
 * reason when there is no such object (unknown revision, path not there).
 */
export async function gitObjectType(spec: string, cwd: string, ref: string): Promise<{ type: string } | { absent: string }> {
  const result = await git(['cat-file', '-t', spec], cwd);
  if ('stdout' in result) return { type: result.stdout.trim() };
  if (result.missing) throw new ElasticityError(`cannot read a git revision: ${result.message}`, { file: ref });
  return { absent: result.message };
}

/**
 * The text of the file `REV:PATH` (git's rule: PATH is from the repository
 * root unless it starts with ./ or ../), read in `cwd`. Throws one error
 * naming `ref` when git fails or the path is absent at that revision.
 */
export async function gitFileText(spec: string, cwd: string, ref: string): Promise<string> {
  const object = await gitObjectType(spec, cwd, ref);
  if ('absent' in object) {
    const pathMissing = /does not exist in|exists on disk, but not in/.test(object.absent);
    throw new ElasticityError(`${pathMissing ? 'no such file at that git revision' : 'git cannot read it'} (git: ${object.absent})`, { file: ref });
  }
  if (object.type !== 'blob') throw new ElasticityError(`is a git ${object.type}, not a file`, { file: ref });
  const result = await git(['show', spec], cwd);
  if (!('stdout' in result)) throw new ElasticityError(`git show failed: ${result.message}`, { file: ref });
  return result.stdout;
}
