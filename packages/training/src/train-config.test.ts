import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ElasticityError } from '@elasticity/core';
import { parseTrainConfig } from './train-config.ts';

const FILE = 'pipelines/demo.json';

function rejects(section: unknown, field: string, pattern: RegExp): void {
  assert.throws(() => parseTrainConfig(section, FILE), (e: unknown) => {
    assert.ok(e instanceof ElasticityError, String(e));
    assert.equal(e.file, FILE);
    assert.equal(e.field, field);
    assert.match(e.message, pattern);
    return true;
  });
}

describe('parseTrainConfig', () => {
  test('an empty or missing section gets the documented defaults', () => {
    const expected = {
      preset: 'none', model: 'MLPNet', width: 1024, loss: 'mse', lr: 0.003, batch: 50, epochs: 20, seed: 0, backend: 'auto', workers: 'auto', kernel: 'auto', checkpointEvery: 0, checkpoints: [],
    };
    assert.deepEqual(parseTrainConfig({}, FILE), expected);
    assert.deepEqual(parseTrainConfig(undefined, FILE), expected);
  });

  test('the loss defaults from the model: *Prob -> bce, else mse', () => {
    assert.equal(parseTrainConfig({ model: 'MLPProb' }, FILE).loss, 'bce');
    assert.equal(parseTrainConfig({ model: 'MLPLinearProb' }, FILE).loss, 'bce');
    assert.equal(parseTrainConfig({ model: 'MLPLinear' }, FILE).loss, 'mse');
  });

  test('given values are kept', () => {
    const given = { preset: 'none', model: 'MLPLinear', width: 64, loss: 'mse', lr: 3e-5, batch: 500, epochs: 2, seed: 9, backend: 'cpu', workers: 2, kernel: 'tfjs', checkpointEvery: 1, checkpoints: [0, 2] };
    assert.deepEqual(parseTrainConfig(given, FILE), given);
    assert.equal(parseTrainConfig({ batch: 'full' }, FILE).batch, 'full');
    assert.equal(parseTrainConfig({ model: 'CNN' }, FILE).width, 500, 'the CNN defaults to its paper width');
  });

  test('checkpoints are kept in ascending order, and may include epoch 0 and the last epoch', () => {
    assert.deepEqual(parseTrainConfig({ epochs: 20, checkpoints: [20, 0, 5] }, FILE).checkpoints, [0, 5, 20]);
  });

  test('loss and output must match: bce needs a sigmoid model and a sigmoid model needs bce', () => {
    rejects({ model: 'MLPNet', loss: 'bce' }, 'train.loss', /sigmoid-output model/);
    rejects({ model: 'MLPProb', loss: 'mse' }, 'train.loss', /trains with bce/);
    rejects({ loss: 'hinge' }, 'train.loss', /one of mse, bce/);
  });

  test('every key is validated and named', () => {
    rejects([], 'train', /must be an object/);
    rejects({ epoch: 3 }, 'train.epoch', /unknown key/);
    rejects({ model: 'ResNet152' }, 'train.model', /unknown model.*MLPNet/);
    rejects({ model: 3 }, 'train.model', /one of/);
    rejects({ width: 0 }, 'train.width', /positive integer/);
    rejects({ width: 2.5 }, 'train.width', /positive integer/);
    rejects({ batch: '50' }, 'train.batch', /positive integer/);
    rejects({ epochs: -1 }, 'train.epochs', /positive integer/);
    rejects({ lr: 0 }, 'train.lr', /> 0/);
    rejects({ lr: Number.NaN }, 'train.lr', /> 0/);
    rejects({ seed: -2 }, 'train.seed', /integer/);
    rejects({ seed: 1.5 }, 'train.seed', /integer/);
    rejects({ backend: 'gpu' }, 'train.backend', /auto, tensorflow, wasm, cpu/);
    rejects({ workers: 0 }, 'train.workers', /integer in \[1, 64\]/);
    rejects({ workers: 'many' }, 'train.workers', /integer in \[1, 64\]/);
    rejects({ kernel: 'mlas' }, 'train.kernel', /auto, onnx, tfjs/);
    rejects({ checkpointEvery: -1 }, 'train.checkpointEvery', /integer >= 0/);
    rejects({ checkpoints: [1, 1] }, 'train.checkpoints', /lists the epoch 1 twice/);
    rejects({ checkpoints: [-1] }, 'train.checkpoints[0]', /integer >= 0/);
    rejects({ epochs: 5, checkpoints: [6] }, 'train.checkpoints[0]', /epoch 6 is after the last epoch \(5\)/);
    rejects({ batch: 'half' }, 'train.batch', /positive integer/);
    rejects({ preset: 'paper' }, 'train.preset', /unknown preset "paper".*paper-mnist/);
    rejects({ preset: 5 }, 'train.preset', /none or one of/);
  });

  test('a preset sets width, lr, batch and epochs for the model; keys in the section override it', () => {
    assert.deepEqual(parseTrainConfig({ preset: 'paper-mnist' }, FILE), {
      preset: 'paper-mnist', model: 'MLPNet', width: 40960, loss: 'mse', lr: 3e-3, batch: 50, epochs: 200, seed: 0, backend: 'auto', workers: 'auto', kernel: 'auto', checkpointEvery: 0, checkpoints: [],
    });
    const c = parseTrainConfig({ preset: 'paper-mnist', model: 'MLPProb', width: 256, epochs: 3 }, FILE);
    assert.deepEqual([c.width, c.lr, c.batch, c.epochs, c.loss], [256, 3e-3, 50, 3, 'bce']);
    assert.equal(parseTrainConfig({ preset: 'paper-synthetic' }, FILE).batch, 'full');
    rejects({ preset: 'paper-mnist', lr: -1 }, 'train.lr', /> 0/);
  });

  test('messages name the closest key, the allowed values and ranges, and the value given', () => {
    const says = (section: unknown, message: string) =>
      assert.throws(() => parseTrainConfig(section, FILE), (e: unknown) => e instanceof ElasticityError && e.message === `${FILE}: ${message}`, message);
    says({ epoch: 3 }, 'train.epoch: unknown key (did you mean "epochs"?); allowed: preset, model, width, loss, lr, batch, epochs, seed, backend, workers, kernel, checkpointEvery, checkpoints');
    says({ momentum: 0.9 }, 'train.momentum: unknown key; allowed: preset, model, width, loss, lr, batch, epochs, seed, backend, workers, kernel, checkpointEvery, checkpoints');
    says({ epochs: '20' }, 'train.epochs: must be a positive integer, got "20"');
    says({ lr: Number.POSITIVE_INFINITY }, 'train.lr: must be a positive number (> 0), got Infinity');
    says({ seed: 2 ** 31 }, 'train.seed: must be an integer in [0, 2147483647], got 2147483648');
    says({ workers: 65 }, 'train.workers: must be "auto" or an integer in [1, 64], got 65');
    says({ batch: 0 }, 'train.batch: must be a positive integer or "full", got 0');
    says({ backend: 'webgl' }, 'train.backend: must be one of auto, tensorflow, wasm, cpu, got "webgl"');
    says({ loss: 'mes' }, 'train.loss: must be one of mse, bce, got "mes" (did you mean "mse"?)');
    says({ model: 'MLPnet' }, 'train.model: unknown model "MLPnet" (did you mean "MLPNet"?) (choose one of MLPNet, MLPProb, MLPLinear, MLPLinearProb, MLPNetSigmoid, MLPLinear1Layer, MLPNet3Layer, MLPLinear3Layer, ResNet, CNN, CNNCifar10)');
    // The loss rule runs only once every key is valid on its own.
    says({ model: 'MLPNet', loss: 'bce', epochs: 0 }, 'train.epochs: must be a positive integer, got 0');
  });
});
