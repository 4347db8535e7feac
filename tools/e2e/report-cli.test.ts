import { test } from 'node:test';
import assert from 'node:assert/strict';
import { scratchWorkspace, cli } from './workspace.ts';

test('report takes either --pipeline or --all, and --all without any finished pipeline is one clear error', { timeout: 60_000 }, async (t) => {
  const ws = await scratchWorkspace(t, { torus: { dataset: { source: 'synthetic' }, similarity: { use: [], baselines: ['raw'] }, report: {} } });
  const neither = cli(ws, ['report']);
  assert.equal(neither.status, 2);
  assert.match(neither.stderr, /give either --pipeline NAME or --all/);
  const both = cli(ws, ['report', '--all', '--pipeline', 'torus']);
  assert.equal(both.status, 2);
  const none = cli(ws, ['report', '--all']);
  assert.equal(none.status, 1);
  assert.match(none.stderr, /torus: no report yet/);
  assert.match(none.stderr, /^error: .*no pipeline has a report yet/m);
  assert.equal(none.stderr.split('\n').filter((l) => l.startsWith('error')).length, 1);
});
