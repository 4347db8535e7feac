import { test } from 'node:test';
import assert from 'node:assert/strict';
import { initBackend, currentBackend } from './backend.ts';
import { tf } from './tf.ts';
import { ElasticityError } from './errors.ts';

test('concurrent callers get one backend: the first explicit choice, which later auto calls reuse', async () => {
  const names = await Promise.all([initBackend('cpu'), initBackend(), initBackend('auto'), initBackend('cpu')]);
  assert.deepEqual(names, ['cpu', 'cpu', 'cpu', 'cpu']);
  assert.equal(tf.getBackend(), 'cpu');
  assert.equal(currentBackend(), 'cpu');
  assert.equal(await initBackend(), 'cpu');
});

test('an unknown backend is a clear error naming the option', async () => {
  await assert.rejects(initBackend('gpu' as never), (e: unknown) => e instanceof ElasticityError && e.field === '--backend');
  assert.equal(tf.getBackend(), 'cpu', 'the working backend is kept');
});
