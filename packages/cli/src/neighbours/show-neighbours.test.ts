import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ElasticityError, writeDatasetFile, writeFeaturesFile, writeNeighboursFile, sha256File } from '@elasticity/core';
import type { Dataset } from '@elasticity/core';
import { withTempDir } from '@elasticity/core/testing';
import { showNeighbours } from './show-neighbours.ts';

const META = { stage: 'similarity', params: {}, seed: null, inputs: {} };
const LAUNCHER = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'bin', 'elasticity.js');

/** Four primary examples 11..14 of classes 4, 9, 4, 9 and one auxiliary (id 15, class 7). */
function dataset(): Dataset {
  return {
    name: 'tiny', inputShape: [1], scaling: 'none', d: 1, ids: Int32Array.of(11, 12, 13, 14, 15), x: Float32Array.of(0, 1, 2, 3, 4),
    target: Float32Array.of(1, 1, 1, 1, 0), classes: Int16Array.of(4, 9, 4, 9, 7), roles: ['primary', 'primary', 'primary', 'primary', 'auxiliary'],
  };
}

/** data/NAME/ingest/dataset.arrow and data/NAME/similarity/neighbours-relative.arrow (k = 1) under `root`; the file records the data set as its input when `record`. */
async function layout(root: string, record: boolean): Promise<{ file: string; datasetFile: string }> {
  const datasetFile = join(root, 'data', 'x', 'ingest', 'dataset.arrow');
  await writeDatasetFile(datasetFile, dataset(), META);
  const file = join(root, 'data', 'x', 'similarity', 'neighbours-relative.arrow');
  await mkdir(dirname(file), { recursive: true });
  const inputs = record ? { [datasetFile]: await sha256File(datasetFile) } : {};
  await writeNeighboursFile(file, {
    kind: 'relative', k: 1, ids: Int32Array.of(11, 12, 13, 14),
    neighbourIds: Int32Array.of(13, 12, 14, 11, 11, 14, 12, 13),
    values: Float64Array.of(0.75, 0.125, 0.5, 0.0625, 0.875, 0.25, 0.625, 1.5e-5),
  }, { ...META, inputs });
  return { file, datasetFile };
}

test('neighbours FILE --id N prints the example\'s class, its most and least moved neighbours with values and classes', async () => {
  await withTempDir('neighbours-cli-', async (root) => {
    const { file, datasetFile } = await layout(root, true);
    const out = await showNeighbours({ file, id: 14 });
    assert.equal(out, [
      `${file}: relative similarity, k = 1, 4 probed examples`,
      'example 14, class 9',
      'most moved by one step at 14 (largest relative value first):',
      '  rank       id  class  value',
      '  1          12  9      0.625000',
      'least moved (smallest relative value first):',
      '  rank       id  class  value',
      '  1          13  4      1.5000e-5',
      `classes from ${datasetFile}`,
      '',
    ].join('\n'));
  });
});

test('without a data set beside it, the list is printed without classes and says so; a data set found beside is used', async () => {
  await withTempDir('neighbours-cli-', async (root) => {
    const { file, datasetFile } = await layout(root, false);
    // Not recorded in the metadata: found as ../ingest/dataset.arrow beside the similarity folder.
    assert.match(await showNeighbours({ file, id: 11 }), new RegExp(`^example 11, class 4$[^]*^classes from ${datasetFile}$`, 'm'));
    const elsewhere = join(root, 'elsewhere.arrow');
    const out = await showNeighbours({ file, id: 11, dataset: elsewhere });
    assert.match(out, /^example 11$/m);
    assert.match(out, /^  1          13  0\.750000$/m);
    assert.match(out, new RegExp(`^classes: no data set found \\(looked for ${elsewhere}\\); --dataset FILE names one$`, 'm'));
  });
});

test('an unknown id, a non-integer id and a file that is not a neighbours file are one error naming the file and the field', async () => {
  await withTempDir('neighbours-cli-', async (root) => {
    const { file } = await layout(root, true);
    await assert.rejects(showNeighbours({ file, id: 99 }), (e: unknown) => e instanceof ElasticityError
      && e.message === `${file}: id: id 99 is not a probed example of this file (its 4 probed examples have ids 11 to 14)`);
    await assert.rejects(showNeighbours({ file, id: Number.NaN }), (e: unknown) => e instanceof ElasticityError && e.field === 'id' && /--id must be an example id/.test(e.message));
    const features = join(root, 'raw.arrow');
    await writeFeaturesFile(features, { kind: 'raw', ids: Int32Array.of(11), values: Float64Array.of(1), dim: 1 }, META);
    await assert.rejects(showNeighbours({ file: features, id: 11 }), (e: unknown) => e instanceof ElasticityError && e.file === features && e.field === 'metadata');
  });
});

test('the elasticity command: the list on stdout and exit 0; an unknown id: one error line and exit 1', { timeout: 120_000 }, async () => {
  await withTempDir('neighbours-cli-', async (root) => {
    const { file } = await layout(root, true);
    const run = (...args: string[]) => spawnSync(process.execPath, [LAUNCHER, 'neighbours', file, ...args], { cwd: root, env: { ...process.env, ELASTICITY_BUNDLE: '0' }, encoding: 'utf8' });
    const ok = run('--id', '12');
    assert.equal(ok.status, 0, ok.stderr);
    assert.match(ok.stdout, /^example 12, class 9$/m);
    const bad = run('--id', '99');
    assert.notEqual(bad.status, 0);
    assert.equal(bad.stdout, '');
    assert.equal(bad.stderr.trim(), `error: ${file}: id: id 99 is not a probed example of this file (its 4 probed examples have ids 11 to 14)`);
  });
});
