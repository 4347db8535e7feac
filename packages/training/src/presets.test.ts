import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { MODEL_ZOO } from './models/zoo.ts';
import { presetNames, presetSettings } from './presets.ts';

/**
 * method.md section 5 (the authors' train_models.py): SGD, lr 3e-3 (MLPLinear
 * 3e-5), batch 50, 200 epochs; on MNIST the BCE models train 50 epochs;
 * batch 500 for CIFAR-10, for the MNIST 3 vs 5 pair and for CNN / ResNet.
 * Synthetic: full batch, lr 1e-5, 20000 epochs. Widths of section 4.
 */
const TABLE: Record<string, { width: number; mnist: [number, number, number]; cifar: [number, number, number] }> = {
  // [lr, batch, epochs]
  MLPNet: { width: 40960, mnist: [3e-3, 50, 200], cifar: [3e-3, 500, 200] },
  MLPProb: { width: 40960, mnist: [3e-3, 50, 50], cifar: [3e-3, 500, 200] },
  MLPLinear: { width: 40960, mnist: [3e-5, 50, 200], cifar: [3e-5, 500, 200] },
  MLPLinearProb: { width: 40960, mnist: [3e-3, 50, 50], cifar: [3e-3, 500, 200] },
  MLPNetSigmoid: { width: 40960, mnist: [3e-3, 50, 200], cifar: [3e-3, 500, 200] },
  MLPLinear1Layer: { width: 1, mnist: [3e-3, 50, 200], cifar: [3e-3, 500, 200] },
  MLPNet3Layer: { width: 8192, mnist: [3e-3, 50, 200], cifar: [3e-3, 500, 200] },
  MLPLinear3Layer: { width: 8192, mnist: [3e-3, 50, 200], cifar: [3e-3, 500, 200] },
  ResNet: { width: 4096, mnist: [3e-3, 500, 200], cifar: [3e-3, 500, 200] },
  CNN: { width: 500, mnist: [3e-3, 500, 200], cifar: [3e-3, 500, 200] },
  CNNCifar10: { width: 500, mnist: [3e-3, 500, 200], cifar: [3e-3, 500, 200] },
};

describe('presets', () => {
  test('the four presets exist', () => {
    assert.deepEqual(presetNames(), ['paper-mnist', 'paper-mnist-3v5', 'paper-cifar10', 'paper-synthetic']);
  });

  for (const spec of MODEL_ZOO.values()) {
    test(`${spec.name} matches the table of method.md section 5`, () => {
      const row = TABLE[spec.name];
      const as = (s: ReturnType<typeof presetSettings>) => [s.lr, s.batch, s.epochs];
      assert.deepEqual(as(presetSettings('paper-mnist', spec)), row.mnist);
      assert.deepEqual(as(presetSettings('paper-mnist-3v5', spec)), [row.mnist[0], 500, row.mnist[2]]);
      assert.deepEqual(as(presetSettings('paper-cifar10', spec)), row.cifar);
      assert.deepEqual(as(presetSettings('paper-synthetic', spec)), [1e-5, 'full', 20000]);
      for (const name of presetNames()) assert.equal(presetSettings(name, spec).width, row.width);
    });
  }
});
