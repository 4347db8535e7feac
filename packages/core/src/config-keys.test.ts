import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assertKnownKeys, suggestName } from './config-keys.ts';
import { ElasticityError } from './errors.ts';

test('suggestions catch typos, not unrelated words', () => {
  assert.equal(suggestName('epoch', ['epochs', 'width', 'lr']), 'epochs');
  assert.equal(suggestName('widht', ['epochs', 'width', 'lr']), 'width');
  assert.equal(suggestName('Seeds', ['seeds', 'k']), 'seeds');
  assert.equal(suggestName('architecture', ['epochs', 'width', 'lr']), undefined);
});

test('an unknown key names the file, the JSON path, the suggestion and the allowed keys', () => {
  assert.throws(() => assertKnownKeys({ width: 1, epoch: 2 }, ['width', 'epochs'], { file: 'p.json', path: 'train' }), (e: unknown) => {
    assert.ok(e instanceof ElasticityError);
    assert.equal(e.field, 'train.epoch');
    assert.equal(e.message, 'p.json: train.epoch: unknown key (did you mean "epochs"?); allowed: width, epochs');
    return true;
  });
  assert.doesNotThrow(() => assertKnownKeys({ width: 1 }, ['width', 'epochs'], { file: 'p.json', path: 'train' }));
});
