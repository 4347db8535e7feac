import { test } from 'node:test';
import assert from 'node:assert/strict';
import { diffMetrics, diffParams } from './diff-runs.ts';

test('diffParams: only changed entries by default; arrays and objects compared as whole values, key order ignored', () => {
  const a = new Map<string, unknown>([['train.lr', 0.1], ['train.epochs', 20], ['probe.kinds', ['relative', 'ntk']], ['x.o', { p: 1, q: 2 }], ['only.a', 'yes']]);
  const b = new Map<string, unknown>([['train.lr', 0.01], ['train.epochs', 20], ['probe.kinds', ['ntk', 'relative']], ['x.o', { q: 2, p: 1 }], ['only.b', null]]);
  assert.deepEqual(diffParams(a, b), [
    { path: 'train.lr', a: 0.1, b: 0.01 },
    { path: 'probe.kinds', a: ['relative', 'ntk'], b: ['ntk', 'relative'] },
    { path: 'only.a', a: 'yes', b: undefined },
    { path: 'only.b', a: undefined, b: null },
  ]);
  assert.deepEqual(diffParams(a, b, true).map((d) => d.path), ['train.lr', 'train.epochs', 'probe.kinds', 'x.o', 'only.a', 'only.b']);
});

test('diffMetrics: change is B − A where both are numbers; one-sided and null entries have none', () => {
  const a = new Map([['accuracy/raw/kmeans', 0.5], ['ari/raw/kmeans', 0.25], ['nmi/raw/kmeans', 0.1], ['training.finalLoss', null], ['gone', 1]]);
  const b = new Map([['accuracy/raw/kmeans', 0.75], ['ari/raw/kmeans', 0.25], ['nmi/raw/kmeans', 0.05], ['training.finalLoss', 0.3], ['new', 2]]);
  const d = diffMetrics(a, b);
  assert.deepEqual(d.map((m) => m.path), ['accuracy/raw/kmeans', 'nmi/raw/kmeans', 'training.finalLoss', 'gone', 'new']);
  assert.equal(d[0].change, 0.75 - 0.5);
  assert.equal(d[1].change, 0.05 - 0.1);
  assert.ok(d[1].change! < 0);
  assert.deepEqual(d.slice(2).map((m) => [m.a, m.b, m.change]), [[null, 0.3, null], [1, undefined, null], [undefined, 2, null]]);
});

test('diffMetrics: wall-clock seconds never count as a difference, but --all lists them with their change', () => {
  const a = new Map([['training.seconds', 5], ['c/training.seconds', 1], ['training.testAccuracy', 0.9]]);
  const b = new Map([['training.seconds', 7], ['c/training.seconds', 2], ['training.testAccuracy', 0.9]]);
  assert.deepEqual(diffMetrics(a, b), []);
  const all = diffMetrics(a, b, true);
  assert.deepEqual(all.map((m) => [m.path, m.change]), [['training.seconds', 2], ['c/training.seconds', 1], ['training.testAccuracy', 0]]);
});
