import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ElasticityError } from '@elasticity/core';
import { expandMatrix, parseComboFilter, parseMatrix } from './matrix.ts';
import { SECTION_KEYS } from './stages.ts';

const FILE = 'pipelines/m.json';

test('both axis forms parse; labels of the path form are the values', () => {
  const axes = parseMatrix({
    pair: { '4v9': { 'dataset.primary': [4, 9] }, '5v8': { 'dataset.primary': [5, 8], 'dataset.auxiliary': [9, 3] } },
    seed: { path: ['train.seed', 'cluster.seed'], values: [0, 7] },
    lr: { path: 'train.lr', values: [0.003, 3e-5] },
  }, SECTION_KEYS, FILE);
  assert.deepEqual(axes.map((a) => a.name), ['pair', 'seed', 'lr']);
  assert.deepEqual(axes[1].values, [
    { label: '0', overrides: [['train.seed', 0], ['cluster.seed', 0]] },
    { label: '7', overrides: [['train.seed', 7], ['cluster.seed', 7]] },
  ]);
  // values that are not valid labels get positional ones
  assert.deepEqual(axes[2].values.map((v) => v.label), ['v0', 'v1']);
});

test('expansion: the product of the axes, first axis slowest, overrides applied in axis order, base untouched', () => {
  const base = { dataset: { primary: [1, 2], perClass: 10 }, train: { width: 8, loss: 'mse' } };
  const axes = parseMatrix({
    pair: { a: { 'dataset.primary': [4, 9] }, b: { 'dataset.primary': [5, 8] } },
    width: { path: 'train.width', values: [16, 32, 64] },
    loss: { keep: {}, drop: { 'train.loss': null, 'probe.eta.start': 1e-6 } },
  }, SECTION_KEYS, FILE);
  const combos = expandMatrix(axes, base);
  assert.equal(combos.length, 2 * 3 * 2);
  assert.deepEqual(combos.slice(0, 3).map((c) => c.id), ['a.16.keep', 'a.16.drop', 'a.32.keep']);
  const last = combos[combos.length - 1];
  assert.equal(last.id, 'b.64.drop');
  assert.deepEqual(last.labels, { pair: 'b', width: '64', loss: 'drop' });
  assert.deepEqual(last.sections, { dataset: { primary: [5, 8], perClass: 10 }, train: { width: 64 }, probe: { eta: { start: 1e-6 } } });
  assert.deepEqual(base, { dataset: { primary: [1, 2], perClass: 10 }, train: { width: 8, loss: 'mse' } });
  // combinations do not share objects
  (combos[0].sections.dataset as { primary: number[] }).primary.push(99);
  assert.deepEqual((combos[1].sections.dataset as { primary: number[] }).primary, [4, 9]);
});

test('a null section override removes the section', () => {
  const axes = parseMatrix({ m: { none: { train: null } } }, SECTION_KEYS, FILE);
  const [c] = expandMatrix(axes, { train: { width: 8 }, cluster: {} });
  assert.deepEqual(c.sections, { cluster: {} });
});

test('bad matrices give one error naming the file and the JSON path', () => {
  const bad: [unknown, RegExp][] = [
    [[], /matrix: must be an object of axes/],
    [{ pair: { a: { 'datset.primary': [1, 2] } } }, /matrix\.pair\.a\.datset\.primary: "datset\.primary" is not a dotted path into a section/],
    [{ pair: { a: 3 } }, /matrix\.pair\.a: must be an object of overrides/],
    [{ pair: {} }, /matrix\.pair: has no values/],
    [{ seed: { path: 'train.seed', values: [] } }, /matrix\.seed\.values: must be a non-empty list/],
    [{ seed: { path: 'train.seed', values: [1], label: 'x' } }, /matrix\.seed\.label: unknown key "label"/],
    [{ seed: { path: 'train.seed', values: [1, 1] } }, /matrix\.seed: two values have the label "1"/],
    [{ 'a b': { x: {} } }, /matrix\.a b: axis names are letters/],
  ];
  for (const [matrix, message] of bad) {
    assert.throws(() => parseMatrix(matrix, SECTION_KEYS, FILE), (e: unknown) => e instanceof ElasticityError && e.file === FILE && message.test(e.message), JSON.stringify(matrix));
  }
});

test('too many combinations are refused before expanding them', () => {
  const values = Array.from({ length: 101 }, (_, i) => i);
  assert.throws(() => parseMatrix({ a: { path: 'train.seed', values }, b: { path: 'cluster.seed', values } }, SECTION_KEYS, FILE), /10201 combinations/);
});

test('combination filters name axes and labels that exist', () => {
  const axes = parseMatrix({ scale: { quick: {}, paper: {} }, pair: { a: {}, b: {} } }, SECTION_KEYS, FILE);
  assert.deepEqual(parseComboFilter('scale=quick,pair=b', axes, FILE), { scale: 'quick', pair: 'b' });
  assert.deepEqual(parseComboFilter(undefined, axes, FILE), {});
  assert.throws(() => parseComboFilter('size=quick', axes, FILE), /--only: no axis "size" in the matrix \(axes: scale, pair\)/);
  assert.throws(() => parseComboFilter('scale=fast', axes, FILE), /axis "scale" has no value "fast" \(values: quick, paper\)/);
});
