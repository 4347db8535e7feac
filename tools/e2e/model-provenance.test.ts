import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { readModelInfo, sha256File } from '@elasticity/core';
import { Removals, scratchWorkspace, writePipeline, cli } from './workspace.ts';

const PIPELINE = {
  dataset: { source: 'mnist-sample', primary: [4, 9], auxiliary: [5, 7], perClass: 10, testPerClass: 0, seed: 0 },
  train: { model: 'MLPNet', width: 8, epochs: 1, batch: 10, seed: 0 },
  probe: { kinds: ['relative'] },
  ntk: {},
  similarity: { use: ['activation-cosine'], baselines: ['raw'] },
};
const MODEL = 'data/p/train/model/model.json';
const DATASET = 'data/p/ingest/dataset.arrow';

/** The stage fails with exactly one error line, naming the model and the data set it is asked to use it on. */
function assertRefused(ws: string, stage: string): void {
  const r = cli(ws, [stage, '--pipeline', 'p']);
  assert.equal(r.status, 1, `${stage} should fail: ${r.stderr}`);
  const errors = r.stderr.split('\n').filter((line) => line.startsWith('error:'));
  assert.equal(errors.length, 1, r.stderr);
  assert.equal(errors[0], errors[0].trim());
  assert.ok(errors[0].startsWith(`error: ${MODEL}: userDefinedMetadata.elasticity.trainedOn: was trained on another version of ${DATASET} (recorded SHA-256 `), errors[0]);
  assert.ok(!existsSync(join(ws, 'data/p', stage)), `${stage} wrote no output`);
}

describe('a model trained on other data is refused by every stage that reads one', () => {
  let ws: string;
  const removals = new Removals();
  before(async () => {
    ws = await scratchWorkspace(removals, { p: PIPELINE });
    for (const stage of ['ingest', 'train']) {
      const r = cli(ws, [stage, '--pipeline', 'p']);
      assert.equal(r.status, 0, `${stage}: ${r.stderr}`);
    }
    const info = await readModelInfo(join(ws, 'data/p/train/model'));
    assert.deepEqual(info.trainedOn, { dataset: DATASET, sha256: await sha256File(join(ws, DATASET)) }, 'the model records the data set it was trained on');
    // Another data set (another draw of the same classes) where the model's used, the model left as it was.
    await writePipeline(ws, 'p', { ...PIPELINE, dataset: { ...PIPELINE.dataset, seed: 1 } });
    const ingest = cli(ws, ['ingest', '--pipeline', 'p']);
    assert.equal(ingest.status, 0, ingest.stderr);
  });

  test('probe', () => assertRefused(ws, 'probe'));
  test('ntk', () => assertRefused(ws, 'ntk'));
  test('similarity (activation-cosine reads the model)', () => assertRefused(ws, 'similarity'));
  after(() => removals.removeAll());
});
