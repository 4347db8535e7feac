import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { ElasticityError } from '@elasticity/core';
import { withTempDir } from '@elasticity/core/testing';
import { readIdxImages, readIdxLabels, IDX_IMAGES_MAGIC, IDX_LABELS_MAGIC } from './idx.ts';
import { idxBytes } from './fixtures.ts';

/** Asserts one ElasticityError naming `file` and `field`. */
function rejectsWith(file: string, field: string) {
  return (error: unknown) => {
    assert.ok(error instanceof ElasticityError, `expected ElasticityError, got ${error}`);
    assert.equal(error.file, file);
    assert.equal(error.field, field);
    assert.ok(error.message.includes(file) && error.message.includes(field));
    return true;
  };
}

const body = Uint8Array.from({ length: 2 * 3 * 4 }, (_, i) => i * 10);

test('reads IDX images and labels, raw and gzipped', async () => {
  await withTempDir('idx-test-', async (dir) => {
    for (const gz of [false, true]) {
      const imagesFile = join(dir, `images${gz ? '.gz' : ''}`);
      const labelsFile = join(dir, `labels${gz ? '.gz' : ''}`);
      const images = idxBytes(IDX_IMAGES_MAGIC, [2, 3, 4], body);
      const labels = idxBytes(IDX_LABELS_MAGIC, [2], Uint8Array.from([7, 3]));
      await writeFile(imagesFile, gz ? gzipSync(images) : images);
      await writeFile(labelsFile, gz ? gzipSync(labels) : labels);
      const read = await readIdxImages(imagesFile);
      assert.deepEqual([read.count, read.rows, read.cols], [2, 3, 4]);
      assert.deepEqual(Array.from(read.pixels), Array.from(body));
      assert.deepEqual(Array.from(await readIdxLabels(labelsFile)), [7, 3]);
    }
  });
});

test('corrupt IDX files give one ElasticityError naming the file and field', async () => {
  await withTempDir('idx-test-', async (dir) => {
    const cases: [string, Uint8Array, 'images' | 'labels', string][] = [
      ['bad-magic', idxBytes(0x00000903, [2, 3, 4], body), 'images', 'magic'],
      ['labels-as-images', idxBytes(IDX_LABELS_MAGIC, [24], body), 'images', 'dims'],
      ['wrong-dims', idxBytes(0x00000802, [6, 4], body), 'images', 'dims'],
      ['too-short', Uint8Array.from([0, 0]), 'images', 'magic'],
      ['short-header', idxBytes(IDX_IMAGES_MAGIC, [2], new Uint8Array(0)), 'images', 'dims'],
      ['truncated', idxBytes(IDX_IMAGES_MAGIC, [2, 3, 4], body.subarray(0, 23)), 'images', 'length'],
      ['trailing', idxBytes(IDX_IMAGES_MAGIC, [2, 3, 4], new Uint8Array(25)), 'images', 'length'],
      ['huge', idxBytes(IDX_IMAGES_MAGIC, [0xffffffff, 0xffffffff, 28], body), 'images', 'length'],
      ['huge-labels', idxBytes(IDX_LABELS_MAGIC, [0xfffffff0], Uint8Array.from([1, 2])), 'labels', 'length'],
      ['bad-label', idxBytes(IDX_LABELS_MAGIC, [3], Uint8Array.from([1, 10, 2])), 'labels', 'labels'],
      ['bad-gzip', Uint8Array.from([0x1f, 0x8b, 8, 0, 1, 2, 3, 4, 5]), 'labels', 'gzip'],
    ];
    for (const [name, bytes, kind, field] of cases) {
      const file = join(dir, name);
      await writeFile(file, bytes);
      const read = kind === 'images' ? readIdxImages(file) : readIdxLabels(file);
      await assert.rejects(read, rejectsWith(file, field), name);
    }
    // A truncated gzip stream is rejected as gzip, the same file unzipped and truncated as length.
    const gz = gzipSync(idxBytes(IDX_IMAGES_MAGIC, [2, 3, 4], body));
    const cut = join(dir, 'cut.gz');
    await writeFile(cut, gz.subarray(0, gz.length - 6));
    await assert.rejects(readIdxImages(cut), rejectsWith(cut, 'gzip'));
  });
});

test('a missing file is reported by name', async () => {
  const file = join(tmpdir(), 'no-such-idx-file-here');
  await assert.rejects(readIdxLabels(file), (e: unknown) => e instanceof ElasticityError && e.file === file && /not found/.test(e.message));
});
