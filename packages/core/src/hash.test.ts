import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { hashJson, sha256File, stableStringify } from './hash.ts';
import { ElasticityError } from './errors.ts';
import { withTempDir } from './testing/temp-dir.ts';

test('sha256File matches the FIPS 180-2 test vector for "abc"', async () => {
  await withTempDir('hash-', async (dir) => {
    const file = join(dir, 'abc.txt');
    await writeFile(file, 'abc');
    assert.equal(await sha256File(file), 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    await assert.rejects(sha256File(file + '.missing'), ElasticityError);
  });
});

test('stable JSON ignores key order at every depth, but not values', () => {
  assert.equal(stableStringify({ b: 1, a: { d: 2, c: [3, { f: 1, e: 0 }] } }), '{"a":{"c":[3,{"e":0,"f":1}],"d":2},"b":1}');
  assert.equal(hashJson({ x: 1, y: 2 }), hashJson({ y: 2, x: 1 }));
  assert.notEqual(hashJson({ x: 1, y: 2 }), hashJson({ x: 1, y: 3 }));
});
