import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import {
  createRng, ElasticityError, initBackend, loadModelDir, readStageTimings, readTrainingMetricsFile, sha256File, writeDatasetFile,
} from '@elasticity/core';
import { tf } from '@elasticity/core/tf';
import { openOnnxMatMul } from '@elasticity/core';
import type { Dataset } from '@elasticity/core';
import { initPyTorchDefault } from './init.ts';
import { MLPNet, MODEL_ZOO } from './models/zoo.ts';
import { trainModel } from './train.ts';
import { checkpointDir, runTrain } from './train-stage.ts';

let root: string;

/** Primary rows (classes 3 and 8, target 1) have x1 in [0.3, 1], auxiliary rows (class 5, target 0) x1 in [-1, -0.3]; input shape [2, 2]. */
function tinyDataset(n: number, seed: number): Dataset {
  const rng = createRng(seed);
  const x = new Float32Array(n * 4);
  const target = new Float32Array(n);
  const classes = new Int16Array(n);
  const roles: Dataset['roles'] = [];
  for (let i = 0; i < n; i++) {
    const primary = i % 2 === 0;
    target[i] = primary ? 1 : 0;
    classes[i] = primary ? (i % 4 === 0 ? 3 : 8) : 5;
    roles.push(primary ? 'primary' : 'auxiliary');
    const row = [rng.uniform(-1, 1), primary ? rng.uniform(0.3, 1) : rng.uniform(-1, -0.3), rng.uniform(-1, 1), rng.uniform(-1, 1)];
    x.set(row, i * 4);
  }
  return { name: 'tiny', inputShape: [2, 2], scaling: 'none', ids: Int32Array.from({ length: n }, (_, i) => 100 + i), x, d: 4, target, classes, roles };
}

const META = { stage: 'ingest', params: {}, seed: 0, inputs: {} };
const CONFIG = { model: 'MLPNet', width: 12, lr: 0.05, batch: 8, epochs: 5, seed: 4, workers: 1 };
/** Whether onnxruntime-node is installed (train.kernel "auto" then trains the 2-layer MLPs on it). */
const onnx = await openOnnxMatMul();
await onnx?.release();

before(async () => {
  await initBackend('auto');
  root = await mkdtemp(join(tmpdir(), 'train-stage-'));
  await writeDatasetFile(join(root, 'dataset.arrow'), tinyDataset(48, 1), META);
  await writeDatasetFile(join(root, 'test.arrow'), tinyDataset(20, 2), META);
});

after(async () => {
  await rm(root, { recursive: true, force: true });
});

function predict(model: tf.LayersModel, x: Float32Array, d: number): Float32Array {
  return tf.tidy(() => (model.predict(tf.tensor2d(x, [x.length / d, d])) as tf.Tensor).dataSync() as Float32Array);
}

describe('runTrain', () => {
  test('writes init/, model/ and metrics.arrow; the saved model predicts exactly as the same training done in memory', async () => {
    const outDir = join(root, 'run-a');
    await runTrain({ config: CONFIG, pipelineFile: 'p.json', datasetFile: join(root, 'dataset.arrow'), testFile: join(root, 'test.arrow'), outDir });

    const data = tinyDataset(48, 1);
    const heldOut = tinyDataset(20, 2);
    const reference = MLPNet.build({ inputShape: [2, 2], width: 12 });
    initPyTorchDefault(reference, 4);
    const initialPredictions = predict(reference, data.x, 4);
    const records = await trainModel(reference, { x: data.x, d: 4, y: data.target }, { loss: 'mse', lr: 0.05, batch: 8, epochs: 5, seed: 4, test: { x: heldOut.x, d: 4, y: heldOut.target } });

    const init = await loadModelDir(join(outDir, 'init'));
    assert.deepEqual(predict(init.model, data.x, 4), initialPredictions);
    assert.equal(init.info.epochsTrained, 0);

    const trained = await loadModelDir(join(outDir, 'model'));
    assert.deepEqual(predict(trained.model, data.x, 4), predict(reference, data.x, 4));
    assert.deepEqual(trained.info, {
      model: 'MLPNet', loss: 'mse', sigmoidOutput: false, width: 12, activation: 'relu', inputShape: [2, 2],
      lr: 0.05, epochs: 5, batch: 8, seed: 4, backend: trained.info.backend, kernel: onnx ? 'onnx' : 'tfjs', workers: 1, preset: 'none', epochsTrained: 5,
      trainedOn: { dataset: relative(process.cwd(), join(root, 'dataset.arrow')), sha256: await sha256File(join(root, 'dataset.arrow')) },
    });
    assert.ok(['tensorflow', 'wasm', 'cpu'].includes(trained.info.backend as string));

    const metrics = await readTrainingMetricsFile(join(outDir, 'metrics.arrow'));
    assert.equal(metrics.meta.stage, 'train');
    assert.equal(metrics.meta.seed, 4);
    assert.equal(Object.keys(metrics.meta.inputs).length, 2);
    assert.deepEqual(metrics.records, records.map(({ seconds: _s, ...r }) => r));
    const timings = await readStageTimings(outDir);
    assert.equal(timings?.stage, 'train');
    assert.equal((timings?.epochSeconds as number[]).length, 5);
    assert.ok((timings?.epochSeconds as number[]).every((s) => s >= 0) && timings!.seconds >= (timings!.trainingSeconds as number));
    assert.ok(metrics.records.every((r) => r.testAccuracy >= 0 && r.testAccuracy <= 1));
    for (const m of [reference, init.model, trained.model]) m.dispose();
  });

  test('same seed -> identical output bytes (weights, model.json, metrics.arrow: no wall times); test accuracy is -1 without a test file', async () => {
    const dirs = [join(root, 'run-b'), join(root, 'run-c')];
    for (const outDir of dirs) await runTrain({ config: CONFIG, pipelineFile: 'p.json', datasetFile: join(root, 'dataset.arrow'), outDir });
    const [a, b] = await Promise.all(dirs.map((d) => readFile(join(d, 'model', 'weights.bin'))));
    assert.ok(a.length === (4 * 12 + 12 + 12 + 1) * 4);
    assert.deepEqual(a, b);
    const [ja, jb] = await Promise.all(dirs.map((d) => readFile(join(d, 'model', 'model.json'), 'utf8')));
    assert.equal(ja, jb);
    const [ma, mb] = await Promise.all(dirs.map((d) => readFile(join(d, 'metrics.arrow'))));
    assert.ok(ma.equals(mb), 'metrics.arrow differs between two equal trainings');
    const metrics = await readTrainingMetricsFile(join(dirs[0], 'metrics.arrow'));
    assert.ok(metrics.records.every((r) => r.testAccuracy === -1));
  });

  test('bad config or a test set of another dimension fails with one ElasticityError and leaves no output', async () => {
    const outDir = join(root, 'run-bad');
    await assert.rejects(
      runTrain({ config: { ...CONFIG, loss: 'bce' }, pipelineFile: 'p.json', datasetFile: join(root, 'dataset.arrow'), outDir }),
      (e: unknown) => e instanceof ElasticityError && e.field === 'train.loss' && e.file === 'p.json',
    );
    const wide = tinyDataset(10, 3);
    const other: Dataset = { ...wide, inputShape: [5], d: 5, x: new Float32Array(50) };
    await writeDatasetFile(join(root, 'wide.arrow'), other, META);
    await assert.rejects(
      runTrain({ config: CONFIG, pipelineFile: 'p.json', datasetFile: join(root, 'dataset.arrow'), testFile: join(root, 'wide.arrow'), outDir }),
      (e: unknown) => e instanceof ElasticityError && e.field === 'x' && e.file === join(root, 'wide.arrow'),
    );
    await assert.rejects(
      runTrain({ config: { ...CONFIG, model: 'ResNet', kernel: 'onnx' }, pipelineFile: 'p.json', datasetFile: join(root, 'dataset.arrow'), outDir }),
      (e: unknown) => e instanceof ElasticityError && e.field === 'train.kernel' && e.file === 'p.json' && /the onnx kernel trains the 2-layer MLPs .*not ResNet/.test(e.message),
    );
    await assert.rejects(stat(outDir), { code: 'ENOENT' });
  });

  test('every zoo model trains from the pipeline section, saves model/ that tf.loadLayersModel reads back with identical predictions, and checkpoints', async () => {
    const images = tinyImages(12, 5);
    await writeDatasetFile(join(root, 'images.arrow'), images.mono, META);
    await writeDatasetFile(join(root, 'images3.arrow'), images.color, META);
    for (const spec of MODEL_ZOO.values()) {
      const outDir = join(root, `zoo-${spec.name}`);
      const file = spec.name === 'CNN' ? 'images.arrow' : spec.name === 'CNNCifar10' ? 'images3.arrow' : 'dataset.arrow';
      const data = spec.name === 'CNN' ? images.mono : spec.name === 'CNNCifar10' ? images.color : tinyDataset(48, 1);
      await runTrain({
        config: { model: spec.name, width: 5, lr: 0.01, batch: 6, epochs: 2, seed: 1, checkpointEvery: 1 },
        pipelineFile: 'p.json', datasetFile: join(root, file), outDir,
      });
      assert.deepEqual((await readdir(join(outDir, 'checkpoints'))).sort(), ['epoch-1', 'epoch-2']);
      const loaded = await tf.loadLayersModel(filesHandler(join(outDir, 'model')));
      const checkpoint = await tf.loadLayersModel(filesHandler(checkpointDir(outDir, 2)));
      const { model: viaCore, info } = await loadModelDir(join(outDir, 'model'));
      assert.equal(info.model, spec.name);
      assert.equal(info.epochsTrained, 2);
      assert.deepEqual(info.inputShape, data.inputShape);
      const expected = predict(viaCore, data.x, data.d);
      assert.deepEqual(predict(loaded, data.x, data.d), expected, spec.name);
      assert.deepEqual(predict(checkpoint, data.x, data.d), expected, `${spec.name} checkpoint of the last epoch`);
      const init = await loadModelDir(join(outDir, 'init'));
      assert.notDeepEqual(predict(init.model, data.x, data.d), expected, 'training changed the model');
      for (const m of [loaded, checkpoint, viaCore, init.model]) m.dispose();
    }
  });

  test('a CNN on a flat dataset is an ElasticityError on train.model naming the pipeline file', async () => {
    await assert.rejects(
      runTrain({ config: { model: 'CNN', epochs: 1 }, pipelineFile: 'p.json', datasetFile: join(root, 'dataset.arrow'), outDir: join(root, 'cnn-flat') }),
      (e: unknown) => e instanceof ElasticityError && e.field === 'train.model' && e.file === 'p.json' && /image input shape/.test(e.message),
    );
  });
});

/** A tf.io handler reading model.json and its weight files from disk, independent of core's loader. */
function filesHandler(dir: string): tf.io.IOHandler {
  return {
    load: async () => {
      const json = JSON.parse(await readFile(join(dir, 'model.json'), 'utf8'));
      const group = json.weightsManifest[0];
      const bytes = await readFile(join(dir, group.paths[0]));
      return {
        modelTopology: json.modelTopology, weightSpecs: group.weights,
        weightData: bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength),
      };
    },
  };
}

/** 16 x 16 images, one channel ([1, 16, 16]) and three ([3, 16, 16]); class 1 images are brighter. */
function tinyImages(n: number, seed: number): { mono: Dataset; color: Dataset } {
  const make = (channels: number): Dataset => {
    const rng = createRng(seed + channels);
    const d = channels * 256;
    const target = Float32Array.from({ length: n }, (_, i) => i % 2);
    const x = Float32Array.from({ length: n * d }, (_, k) => rng.uniform(-1, 1) * 0.5 + (target[Math.floor(k / d)] - 0.5));
    return {
      name: 'images', inputShape: [channels, 16, 16], scaling: 'none', ids: Int32Array.from({ length: n }, (_, i) => i), x, d, target,
      classes: Int16Array.from(target, (t) => (t ? 3 : 5)), roles: Array.from(target, (t) => (t ? 'primary' : 'auxiliary')),
    };
  };
  return { mono: make(1), color: make(3) };
}
