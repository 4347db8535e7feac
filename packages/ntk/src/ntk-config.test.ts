import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ElasticityError } from '@elasticity/core';
import { NTK_SCHEMA, parseNtkConfig } from './ntk-config.ts';

const F = 'pipelines/p.json';
const says = (section: unknown, message: string) =>
  assert.throws(() => parseNtkConfig(section, F), (e: unknown) => e instanceof ElasticityError && e.file === F && e.message === `${F}: ${message}`, message);

test('a missing or empty ntk section gets every default; a single kind becomes a list', () => {
  const defaults = { kind: ['empirical'], from: 'trained', method: 'auto', precision: 'auto', sigmaW2: 2, sigmaB2: 0, depth: 'model', memoryMb: 4096, shards: 1, mode: 'full' };
  assert.deepEqual(parseNtkConfig(undefined, F), defaults);
  assert.deepEqual(parseNtkConfig({}, F), defaults);
  assert.deepEqual(parseNtkConfig({ kind: 'infinite', depth: 0, sigmaB2: 0.1 }, F), { ...defaults, kind: ['infinite'], depth: 0, sigmaB2: 0.1 });
  assert.deepEqual(parseNtkConfig({ kind: ['infinite', 'empirical'] }, F).kind, ['infinite', 'empirical']);
  assert.equal(parseNtkConfig.schema, NTK_SCHEMA);
});

test('ntk messages: closest key, type, range and allowed values at the JSON path', () => {
  says({ sigmaW: 1 }, 'ntk.sigmaW: unknown key (did you mean "sigmaW2"?); allowed: kind, from, method, precision, sigmaW2, sigmaB2, depth, memoryMb, shards, mode');
  says({ memoryMb: '1GB' }, 'ntk.memoryMb: must be a number >= 1, got "1GB"');
  says({ sigmaW2: 0 }, 'ntk.sigmaW2: must be a positive number (> 0), got 0');
  says({ sigmaB2: -0.5 }, 'ntk.sigmaB2: must be a non-negative number (>= 0), got -0.5');
  says({ depth: -1 }, 'ntk.depth: must be "model" or an integer >= 0, got -1');
  says({ depth: 'models' }, 'ntk.depth: must be "model" or an integer >= 0, got "models" (did you mean "model"?)');
  says({ method: 'exact' }, 'ntk.method: must be one of auto, closed-form, generic, got "exact"');
  says({ kind: 'finite' }, 'ntk.kind: must be one of empirical, infinite or a non-empty list (each item one of empirical, infinite), got "finite" (did you mean "infinite"?)');
  // A list is reported at its bad item, not as "not a name or a list".
  says({ kind: ['empirical', 7] }, 'ntk.kind[1]: must be one of empirical, infinite, got 7');
  says({ kind: ['empirical', 'empirical'] }, 'ntk.kind: lists the kind "empirical" twice');
  says({ mode: 'diag' }, 'ntk.mode: must be one of full, diagonal, got "diag"');
  says({ mode: 'diagonal', shards: 2 }, 'ntk.shards: shards split the rows of the full kernel; the diagonal takes one task (shards 1)');
});
