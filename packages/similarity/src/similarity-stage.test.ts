import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  ElasticityError, createRng, readFeaturesFile, readMatrixFile, writeDatasetFile, writeMatrixFile,
} from '@elasticity/core';
import type { Dataset } from '@elasticity/core';
import { runSimilarity } from './similarity-stage.ts';

const meta = { stage: 'test', params: {}, seed: 0, inputs: {} };

/** 6 primary examples (ids 20..25, interleaved with 3 auxiliary ones) in 5-d. */
function tinyDataset(): Dataset {
  const rng = createRng(1);
  const roles: Dataset['roles'] = ['primary', 'auxiliary', 'primary', 'primary', 'auxiliary', 'primary', 'primary', 'auxiliary', 'primary'];
  const ids = Int32Array.of(20, 30, 21, 22, 31, 23, 24, 32, 25);
  return {
    name: 'tiny', inputShape: [5], scaling: 'none', d: 5, ids,
    x: Float32Array.from({ length: ids.length * 5 }, () => Math.fround(rng.uniform(-1, 1))),
    target: Float32Array.from(roles, (r) => (r === 'primary' ? 1 : 0)),
    classes: Int16Array.of(4, 5, 9, 4, 7, 9, 4, 5, 9),
    roles,
  };
}

async function withTemp(fn: (root: string) => Promise<void>): Promise<void> {
  const root = await mkdtemp(join(tmpdir(), 'similarity-test-'));
  try {
    await fn(root);
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}

test('runSimilarity symmetrises the named matrices and writes raw and PCA features', async () => {
  await withTemp(async (root) => {
    const ds = tinyDataset();
    const datasetFile = join(root, 'dataset.arrow');
    await writeDatasetFile(datasetFile, ds, meta);
    const primaryIds = Int32Array.of(20, 21, 22, 23, 24, 25);
    const n = 6;
    const rng = createRng(2);
    const rel = Float64Array.from({ length: n * n }, () => rng.normal());
    const ntk = Float64Array.from({ length: n * n }, () => rng.normal());
    await writeMatrixFile(join(root, 'probe', 'relative.arrow'), { kind: 'relative', rowIds: primaryIds, columnIds: primaryIds, values: rel, extra: { loss: 'mse' } }, meta);
    await writeMatrixFile(join(root, 'ntk', 'ntk.arrow'), { kind: 'ntk', rowIds: primaryIds, columnIds: primaryIds, values: ntk }, meta);
    const outDir = join(root, 'out');
    await runSimilarity({
      config: { use: ['relative', 'ntk'], baselines: ['raw', 'pca'], pcaComponents: 3 },
      pipelineFile: 'p.json', datasetFile, probeDir: join(root, 'probe'), ntkDir: join(root, 'ntk'), outDir,
    });
    assert.deepEqual((await readdir(outDir)).sort(), ['ntk.arrow', 'pca.arrow', 'raw.arrow', 'relative.arrow']);

    for (const [name, src] of [['relative', rel], ['ntk', ntk]] as const) {
      const { matrix, meta: m } = await readMatrixFile(join(outDir, `${name}.arrow`));
      assert.equal(matrix.kind, name);
      assert.equal(matrix.extra?.source, name);
      assert.equal(matrix.extra?.symmetrized, 'true');
      assert.equal(m.stage, 'similarity');
      assert.deepEqual(Array.from(matrix.rowIds), Array.from(primaryIds));
      for (let i = 0; i < n; i++) {
        for (let j = 0; j < n; j++) {
          assert.ok(Math.abs(matrix.values[i * n + j] - (src[i * n + j] + src[j * n + i]) / 2) < 1e-15);
        }
      }
    }
    const raw = (await readFeaturesFile(join(outDir, 'raw.arrow'))).features;
    assert.equal(raw.kind, 'raw');
    assert.equal(raw.dim, 5);
    assert.deepEqual(Array.from(raw.ids), Array.from(primaryIds));
    // Primary example id 21 is dataset row 2.
    assert.deepEqual(Array.from(raw.values.subarray(5, 10)), Array.from(ds.x.subarray(10, 15)));
    const pca = (await readFeaturesFile(join(outDir, 'pca.arrow'))).features;
    assert.equal(pca.kind, 'pca');
    assert.equal(pca.dim, 3);
    assert.deepEqual(Array.from(pca.ids), Array.from(primaryIds));
  });
});

test('runSimilarity: a missing input named in use, or rows in the wrong order, is a clear error and writes nothing', async () => {
  await withTemp(async (root) => {
    const datasetFile = join(root, 'dataset.arrow');
    await writeDatasetFile(datasetFile, tinyDataset(), meta);
    const outDir = join(root, 'out');
    await assert.rejects(
      runSimilarity({ config: { use: ['kernelized'], baselines: [] }, pipelineFile: 'p.json', datasetFile, probeDir: join(root, 'probe'), outDir }),
      (e: unknown) => e instanceof ElasticityError && e.message.includes(join(root, 'probe', 'kernelized.arrow')) && /not found/.test(e.message),
    );
    await assert.rejects(
      runSimilarity({ config: { use: ['ntk'], baselines: [] }, pipelineFile: 'p.json', datasetFile, outDir }),
      (e: unknown) => e instanceof ElasticityError && /similarity\.use\[0\]: "ntk" needs the ntkDir option/.test(e.message),
    );
    const wrongOrder = Int32Array.of(21, 20, 22, 23, 24, 25);
    await writeMatrixFile(join(root, 'ntk', 'ntk.arrow'), { kind: 'ntk', rowIds: wrongOrder, columnIds: wrongOrder, values: new Float64Array(36) }, meta);
    await assert.rejects(
      runSimilarity({ config: { use: ['ntk'], baselines: ['raw'] }, pipelineFile: 'p.json', datasetFile, ntkDir: join(root, 'ntk'), outDir }),
      (e: unknown) => e instanceof ElasticityError && /ntk\.arrow: id: row 0 is example 21/.test(e.message),
    );
    await assert.rejects(readdir(outDir), { code: 'ENOENT' });
  });
});
