import { test } from 'node:test';
import assert from 'node:assert/strict';
import { suggestName, unknownKeyError } from './config-keys.ts';
import { ElasticityError } from '../errors.ts';

test('suggestions catch typos, not unrelated words', () => {
  assert.equal(suggestName('epoch', ['epochs', 'width', 'lr']), 'epochs');
  assert.equal(suggestName('widht', ['epochs', 'width', 'lr']), 'width');
  assert.equal(suggestName('Seeds', ['seeds', 'k']), 'seeds');
  assert.equal(suggestName('architecture', ['epochs', 'width', 'lr']), undefined);
});

test('an unknown key names the file, the JSON path, the suggestion and the allowed keys', () => {
  const e = unknownKeyError('epoch', ['width', 'epochs'], { file: 'p.json', path: 'train' });
  assert.ok(e instanceof ElasticityError);
  assert.equal(e.field, 'train.epoch');
  assert.equal(e.message, 'p.json: train.epoch: unknown key (did you mean "epochs"?); allowed: width, epochs');
  assert.equal(unknownKeyError('architecture', ['width', 'epochs'], { file: 'p.json', path: 'train' }).message, 'p.json: train.architecture: unknown key; allowed: width, epochs');
});
