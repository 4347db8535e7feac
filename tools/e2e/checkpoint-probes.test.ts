/**
 * Probes and NTKs of the weights during training (train.checkpoints,
 * probe.from / ntk.from "epoch-K"): a checkpoint's matrices equal those of a
 * separate training stopped at that epoch (same seed, so the same shuffles)
 * and probed as "trained"; epoch 0 equals "init".
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { createRng, ElasticityError, initBackend, readMatrixFile, writeDatasetFile } from '@elasticity/core';
import type { Dataset } from '@elasticity/core';
import { withTempDir } from '@elasticity/core/testing';
import { runNtk } from '@elasticity/ntk';
import { runProbe } from '@elasticity/probing';
import { runTrain } from '@elasticity/training';

await initBackend('auto');

/** 24 examples in 4 dimensions: primary (classes 3 and 8) with x1 > 0, auxiliary (class 5) with x1 < 0. */
function dataset(): Dataset {
  const rng = createRng(7);
  const n = 24;
  const x = new Float32Array(n * 4);
  const roles: Dataset['roles'] = [];
  for (let i = 0; i < n; i++) {
    const primary = i % 2 === 0;
    roles.push(primary ? 'primary' : 'auxiliary');
    x.set([rng.uniform(-1, 1), primary ? rng.uniform(0.2, 1) : rng.uniform(-1, -0.2), rng.uniform(-1, 1), rng.uniform(-1, 1)], i * 4);
  }
  return {
    name: 'tiny', inputShape: [4], scaling: 'none', ids: Int32Array.from({ length: n }, (_, i) => i), x, d: 4,
    target: Float32Array.from(roles, (r) => (r === 'primary' ? 1 : 0)), classes: Int16Array.from({ length: n }, (_, i) => (i % 2 ? 5 : i % 4 ? 8 : 3)), roles,
  };
}

const TRAIN = { model: 'MLPNet', width: 16, lr: 0.05, batch: 6, seed: 3, workers: 1 };

test('probe and NTK from "epoch-K" equal a separate training of K epochs probed as trained; "epoch-0" equals "init"; a checkpoint not saved is one clear error', async () => {
  await withTempDir('checkpoint-probes-', async (root) => {
    const datasetFile = join(root, 'dataset.arrow');
    await writeDatasetFile(datasetFile, dataset(), { stage: 'ingest', params: {}, seed: 0, inputs: {} });
    const long = join(root, 'train-long');
    const short = join(root, 'train-short');
    await runTrain({ config: { ...TRAIN, epochs: 4, checkpoints: [2, 0] }, pipelineFile: 'p.json', datasetFile, outDir: long });
    await runTrain({ config: { ...TRAIN, epochs: 2 }, pipelineFile: 'p.json', datasetFile, outDir: short });
    assert.deepEqual((await readdir(join(long, 'checkpoints'))).sort(), ['epoch-0', 'epoch-2']);

    const values = async (file: string) => Array.from((await readMatrixFile(file)).matrix.values);
    const probe = async (modelDir: string, from: string, name: string) => {
      const outDir = join(root, name);
      await runProbe({ config: { eta: 0.01, from }, pipelineFile: 'p.json', datasetFile, modelDir, outDir });
      return { relative: await values(join(outDir, 'relative.arrow')), kernelized: await values(join(outDir, 'kernelized.arrow')) };
    };
    const atTwo = await probe(long, 'epoch-2', 'probe-epoch-2');
    const stopped = await probe(short, 'trained', 'probe-short');
    assert.deepEqual(atTwo, stopped);
    const atFour = await probe(long, 'trained', 'probe-long');
    assert.notDeepEqual(atFour.kernelized, atTwo.kernelized, 'two more epochs change the probe');
    assert.deepEqual(await probe(long, 'epoch-0', 'probe-epoch-0'), await probe(long, 'init', 'probe-init'));

    const ntk = async (modelDir: string, from: string, name: string) => {
      const outDir = join(root, name);
      await runNtk({ config: { from }, pipelineFile: 'p.json', datasetFile, modelDir, outDir });
      return values(join(outDir, 'ntk.arrow'));
    };
    assert.deepEqual(await ntk(long, 'epoch-2', 'ntk-epoch-2'), await ntk(short, 'trained', 'ntk-short'));

    await assert.rejects(
      runProbe({ config: { from: 'epoch-1' }, pipelineFile: 'p.json', datasetFile, modelDir: long, outDir: join(root, 'probe-missing') }),
      (e: unknown) => e instanceof ElasticityError && e.file === 'p.json' && e.field === 'probe.from' && /saved no checkpoint after epoch 1 .*train\.checkpoints/.test(e.message),
    );
  });
});
