import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ElasticityError } from '@elasticity/core';
import { PROBE_SCHEMA, parseProbeConfig } from './probe-config.ts';

const F = 'pipelines/p.json';
const says = (section: unknown, message: string) =>
  assert.throws(() => parseProbeConfig(section, F), (e: unknown) => e instanceof ElasticityError && e.file === F && e.message === `${F}: ${message}`, message);

test('a missing or empty probe section gets every default', () => {
  const defaults = {
    kinds: ['relative', 'kernelized'], eta: 'authors', method: 'auto', mode: 'reset', from: 'trained', probed: 'primary', measured: 'primary', precision: 'auto', shards: 1, memoryMb: 4096,
  };
  assert.deepEqual(parseProbeConfig(undefined, F), defaults);
  assert.deepEqual(parseProbeConfig({}, F), defaults);
  assert.deepEqual(parseProbeConfig({ eta: 1e-4, kinds: ['kernelized'] }, F), { ...defaults, eta: 1e-4, kinds: ['kernelized'] });
  assert.equal(parseProbeConfig.schema, PROBE_SCHEMA);
  assert.equal(parseProbeConfig.section, 'probe');
});

test('probe messages: closest key, type, range and allowed values at the JSON path', () => {
  says({ kind: ['relative'] }, 'probe.kind: unknown key (did you mean "kinds"?); allowed: kinds, eta, method, mode, from, probed, measured, precision, shards, memoryMb');
  says({ memoryMb: 0.5 }, 'probe.memoryMb: must be a number >= 1, got 0.5');
  says({ shards: '2' }, 'probe.shards: must be a positive integer, got "2"');
  says({ shards: 1.5 }, 'probe.shards: must be a positive integer, got 1.5');
  says({ eta: -1 }, 'probe.eta: must be "authors" or a positive number (> 0), got -1');
  says({ eta: 'author' }, 'probe.eta: must be "authors" or a positive number (> 0), got "author" (did you mean "authors"?)');
  says({ method: 'slow' }, 'probe.method: must be one of auto, fast, generic, got "slow"');
  says({ precision: 'float16' }, 'probe.precision: must be one of auto, float64, float32, got "float16" (did you mean "float64"?)');
  says({ kinds: ['relative', 'ntk'] }, 'probe.kinds[1]: must be one of relative, kernelized, got "ntk"');
  says({ kinds: [] }, 'probe.kinds: must be a non-empty list (each item one of relative, kernelized), got []');
  says({ kinds: ['relative', 'relative'] }, 'probe.kinds: lists the kind "relative" twice');
  says([], 'probe: must be an object with keys kinds, eta, method, mode, from, probed, measured, precision, shards, memoryMb, got []');
});
