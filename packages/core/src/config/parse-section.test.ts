import { test } from 'node:test';
import assert from 'node:assert/strict';
import { z } from 'zod';
import { ElasticityError } from '../errors.ts';
import { jsonPath, parseSection, sectionParser } from './parse-section.ts';
import { describeExpected, expectAs, formatValue } from './describe-expected.ts';
import { distinctItems, whenValid } from './list-rules.ts';

const F = 'pipelines/x.json';

const JOB = z.strictObject({ input: z.string().regex(/^[a-z]+$/), method: z.enum(['kmeans', 'spectral']) });
const SECTION = z.strictObject({
  epochs: z.int().min(1).default(20),
  lr: z.number().gt(0).default(0.003),
  seed: z.int().min(0).max(99).default(0),
  workers: z.union([z.literal('auto'), z.int().min(1).max(64)]).default('auto'),
  loss: z.enum(['mse', 'bce']).optional(),
  kinds: z.array(z.enum(['relative', 'kernelized'])).min(1).superRefine(distinctItems()).default(['relative']),
  methods: z.array(JOB).optional(),
  weight: z.number().min(0).default(1),
  k: expectAs(z.int().min(1), 'an integer >= 1').default(2),
  mode: z.union([z.enum(['fast', 'exact']), z.array(z.enum(['fast', 'exact'])).min(1)]).optional(),
  files: z.record(z.string().regex(/^[a-z]+$/, { error: 'name must be lower-case letters' }), z.string().min(1)).default({}),
}).superRefine((v, ctx) => {
  // A cross-field rule; it must only see values that passed every other check.
  assert.ok(v.epochs >= 1 && v.seed <= 99, 'ran on an invalid value');
  if (v.loss === 'bce' && v.workers !== 'auto') ctx.addIssue({ code: 'custom', message: 'bce needs workers auto', path: ['loss'] });
}, whenValid);
const parse = sectionParser('train', SECTION);

function fails(section: unknown, field: string, message: string | RegExp): void {
  assert.throws(() => parse(section, F), (e: unknown) => {
    assert.ok(e instanceof ElasticityError, String(e));
    assert.equal(e.file, F);
    assert.equal(e.field, field);
    if (typeof message === 'string') assert.equal(e.message, `${F}: ${field}: ${message}`);
    else assert.match(e.message, message);
    return true;
  });
}

test('defaults fill a missing, null or empty section; given values are kept', () => {
  const defaults = { epochs: 20, lr: 0.003, seed: 0, workers: 'auto', kinds: ['relative'], weight: 1, k: 2, files: {} };
  assert.deepEqual(parse(undefined, F), defaults);
  assert.deepEqual(parse(null, F), defaults);
  assert.deepEqual(parse({}, F), defaults);
  assert.deepEqual(parse({ epochs: 3, workers: 4, loss: 'mse', methods: [{ input: 'ntk', method: 'spectral' }] }, F),
    { ...defaults, epochs: 3, workers: 4, loss: 'mse', methods: [{ input: 'ntk', method: 'spectral' }] });
  // A default list is a fresh copy each time.
  const a = parse({}, F);
  a.kinds.push('kernelized');
  assert.deepEqual(parse({}, F).kinds, ['relative']);
  assert.equal(parse.section, 'train');
  assert.equal(parse.schema, SECTION);
});

test('an unknown key names its JSON path, the closest key and the allowed keys, before any other problem', () => {
  fails({ epoch: 3 }, 'train.epoch', 'unknown key (did you mean "epochs"?); allowed: epochs, lr, seed, workers, loss, kinds, methods, weight, k, mode, files');
  fails({ lr: -1, architecture: 3 }, 'train.architecture', /^[^(]*unknown key; allowed: epochs,/);
  fails({ methods: [{ input: 'ntk', method: 'kmeans' }, { input: 'ntk', methd: 'kmeans' }] }, 'train.methods[1].methd',
    'unknown key (did you mean "method"?); allowed: input, method');
  // Keys inherited from Object.prototype are not keys of the schema.
  fails({ constructor: 1 }, 'train.constructor', /unknown key/);
  fails(JSON.parse('{"__proto__": {"epochs": 5}}'), 'train.__proto__', /unknown key/);
});

test('a wrong type, an out-of-range number and an unknown enum value name the path, the allowed values and the value given', () => {
  fails({ epochs: 'ten' }, 'train.epochs', 'must be a positive integer, got "ten"');
  fails({ epochs: 2.5 }, 'train.epochs', 'must be a positive integer, got 2.5');
  fails({ epochs: 0 }, 'train.epochs', 'must be a positive integer, got 0');
  fails({ lr: 0 }, 'train.lr', 'must be a positive number (> 0), got 0');
  fails({ lr: Number.NaN }, 'train.lr', 'must be a positive number (> 0), got NaN');
  fails({ weight: -1 }, 'train.weight', 'must be a non-negative number (>= 0), got -1');
  fails({ seed: 100 }, 'train.seed', 'must be an integer in [0, 99], got 100');
  fails({ loss: 'hinge' }, 'train.loss', 'must be one of mse, bce, got "hinge"');
  fails({ loss: 3 }, 'train.loss', 'must be one of mse, bce, got 3');
  fails({ k: 0 }, 'train.k', 'must be an integer >= 1, got 0');
  fails([], 'train', /^pipelines\/x\.json: train: must be an object with keys epochs, lr, .* got \[\]$/);
  fails('x', 'train', /must be an object/);
});

test('a union is named whole, whichever option zod tried', () => {
  fails({ workers: 0 }, 'train.workers', 'must be "auto" or an integer in [1, 64], got 0');
  fails({ workers: 'many' }, 'train.workers', 'must be "auto" or an integer in [1, 64], got "many"');
});

test('a union of a name and a list of names: a bad name is told the options (and the closest); a bad list item is reported at the item', () => {
  fails({ mode: 'exakt' }, 'train.mode', 'must be one of fast, exact or a non-empty list (each item one of fast, exact), got "exakt" (did you mean "exact"?)');
  fails({ mode: ['fast', 3] }, 'train.mode[1]', 'must be one of fast, exact, got 3');
  fails({ mode: [] }, 'train.mode', 'must be one of fast, exact or a non-empty list (each item one of fast, exact), got []');
  assert.deepEqual(parse({ mode: ['exact'] }, F).mode, ['exact']);
});

test('list items and nested keys have their own path', () => {
  fails({ kinds: ['relative', 'ntk'] }, 'train.kinds[1]', 'must be one of relative, kernelized, got "ntk"');
  fails({ kinds: [] }, 'train.kinds', 'must be a non-empty list (each item one of relative, kernelized), got []');
  fails({ kinds: 'relative' }, 'train.kinds', /must be a non-empty list/);
  fails({ kinds: ['relative', 'relative'] }, 'train.kinds[1]', '"relative" is listed twice');
  fails({ methods: [{ input: 'Bad!', method: 'kmeans' }] }, 'train.methods[0].input', 'must be a string matching /^[a-z]+$/, got "Bad!"');
  fails({ methods: [{ input: 'ntk' }] }, 'train.methods[0].method', 'is required: one of kmeans, spectral');
  fails({ files: { Bad: 'x.arrow' } }, 'train.files.Bad', 'name must be lower-case letters');
  fails({ files: { ok: 3 } }, 'train.files.ok', 'must be a non-empty string, got 3');
});

test('a cross-field rule runs only on otherwise valid values', () => {
  fails({ loss: 'bce', workers: 2 }, 'train.loss', 'bce needs workers auto');
  fails({ loss: 'bce', workers: 2, epochs: 0 }, 'train.epochs', /positive integer/);
  assert.equal(parse({ loss: 'bce' }, F).loss, 'bce');
});

test('paths, values and expectations in words', () => {
  assert.equal(jsonPath('cluster', ['methods', 2, 'input']), 'cluster.methods[2].input');
  assert.equal(jsonPath('train', []), 'train');
  assert.equal(formatValue(undefined), 'nothing');
  assert.equal(formatValue(Number.POSITIVE_INFINITY), 'Infinity');
  assert.equal(formatValue('x'.repeat(100)).length, 80);
  assert.equal(describeExpected(z.int().min(2)), 'an integer >= 2');
  assert.equal(describeExpected(z.int().gt(0).lt(10)), 'an integer in [1, 9]');
  assert.equal(describeExpected(z.number().min(-1).max(1)), 'a number in [-1, 1]');
  assert.equal(describeExpected(z.array(z.int()).min(2).max(10)), 'a list of 2 to 10 items (each item an integer)');
  assert.equal(describeExpected(z.union([z.enum(['a', 'b']), z.literal('c')])), 'one of a, b, c');
  assert.equal(describeExpected(z.string().optional()), 'a string');
  // parseSection alone (no sectionParser) names the section it is given.
  assert.throws(() => parseSection(z.strictObject({ a: z.boolean() }), { a: 1 }, { file: F, section: 's' }),
    (e: unknown) => e instanceof ElasticityError && e.message === `${F}: s.a: must be true or false, got 1`);
});
