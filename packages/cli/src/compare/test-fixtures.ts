import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { TestContext } from 'node:test';

/** Test data: a small hand-built PipelineResults with one clustering result and training metrics. */
export function fakeResults(pipeline: string, accuracy: number, extra: Record<string, unknown> = {}): Record<string, unknown> {
  const s = (mean: number) => ({ mean, sd: 0.01, values: [mean - 0.01, mean + 0.01] });
  return {
    pipeline, title: pipeline, dataset: { name: 'd', examples: 8, primary: 4 },
    results: [{ input: 'raw', method: 'kmeans', accuracy: s(accuracy), ari: s(0.2), nmi: s(0.3) }],
    training: { model: 'MLPNet', width: 8, loss: 'mse', epochs: 2, backend: 'cpu', finalLoss: 0.5, trainAccuracy: 0.9, testAccuracy: 0.8, seconds: 3 },
    ...extra,
  };
}

/** A fresh temporary folder, removed when the test `t` ends, passed or failed. */
export function tempDir(t: TestContext, prefix = 'compare-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** Writes `value` as JSON at dir/path, making folders. */
export function writeJson(dir: string, path: string, value: unknown): string {
  const file = join(dir, path);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, JSON.stringify(value, null, 2) + '\n');
  return file;
}

/** Runs git in `dir` with a throwaway identity (no global config needed). */
export function git(dir: string, ...args: string[]): string {
  return execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@t', '-c', 'init.defaultBranch=main', ...args], { cwd: dir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}
