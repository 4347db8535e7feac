import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { crc32, inflateSync } from 'node:zlib';
import { join } from 'node:path';
import { ElasticityError, writeDatasetFile, writeNeighboursFile } from '@elasticity/core';
import type { Dataset, Role } from '@elasticity/core';
import { withTempDir } from '@elasticity/core/testing';
import { runReport } from './report-stage.ts';
import { writeCircleRun } from './test-fixtures.ts';
import { encodePng } from './figures/png.ts';

const META = { stage: 'similarity', params: {}, seed: null, inputs: {} };

/** PNG chunks: type, data, and whether the stored CRC is zlib's CRC-32 of type + data. */
function chunks(png: Buffer): { type: string; data: Buffer; crcOk: boolean }[] {
  const out = [];
  for (let at = 8; at < png.length;) {
    const length = png.readUInt32BE(at);
    const body = png.subarray(at + 4, at + 8 + length);
    out.push({ type: body.subarray(0, 4).toString('latin1'), data: body.subarray(4), crcOk: png.readUInt32BE(at + 8 + length) === crc32(body) });
    at += 12 + length;
  }
  return out;
}

test('encodePng: a grayscale PNG whose chunks carry valid CRCs and whose rows inflate back to the pixels', () => {
  const pixels = Uint8Array.from({ length: 5 * 3 }, (_, i) => (i * 37) % 256);
  const png = encodePng(pixels, 5, 3, 1);
  assert.deepEqual([...png.subarray(0, 8)], [137, 80, 78, 71, 13, 10, 26, 10]);
  const parts = chunks(png);
  assert.deepEqual(parts.map((c) => c.type), ['IHDR', 'IDAT', 'IEND']);
  assert.ok(parts.every((c) => c.crcOk));
  assert.deepEqual([parts[0].data.readUInt32BE(0), parts[0].data.readUInt32BE(4), parts[0].data[8], parts[0].data[9]], [5, 3, 8, 0]);
  const raw = inflateSync(parts[1].data);
  for (let y = 0; y < 3; y++) {
    assert.equal(raw[y * 6], 0, 'filter none');
    assert.deepEqual([...raw.subarray(y * 6 + 1, y * 6 + 6)], [...pixels.subarray(y * 5, y * 5 + 5)]);
  }
});

/** Six primary 8 x 8 images (ids 0..5, classes 4, 9, 4, 9, 4, 9; pixel p of example i is (i + p) / 70 * 2 - 1) and one auxiliary. */
function images(): Dataset {
  const roles: Role[] = ['primary', 'primary', 'primary', 'primary', 'primary', 'primary', 'auxiliary'];
  return {
    name: 'squares', inputShape: [1, 8, 8], scaling: 'minus-one-one', d: 64, ids: Int32Array.of(0, 1, 2, 3, 4, 5, 6),
    x: Float32Array.from({ length: 7 * 64 }, (_, k) => Math.fround((Math.floor(k / 64) + (k % 64)) / 70 * 2 - 1)),
    target: Float32Array.from(roles, (r) => (r === 'primary' ? 1 : 0)), classes: Int16Array.of(4, 9, 4, 9, 4, 9, 7), roles,
  };
}

test('the report\'s elastic neighbours: class agreement of the most and least moved, and the examples drawn as inline PNG images', async () => {
  await withTempDir('report-neighbours-', async (dir) => {
    const datasetFile = join(dir, 'ingest', 'dataset.arrow');
    await writeDatasetFile(datasetFile, images(), { ...META, stage: 'ingest' });
    const similarityDir = join(dir, 'similarity');
    // k = 1: each row's most moved, then least moved. Same class as the example: tops of 0, 1, 2, 4, 5 (5 of 6; 3's is 2, class 4); bottoms of 5 only (1 of 6).
    const top = [2, 3, 0, 2, 0, 1], bottom = [1, 0, 1, 0, 5, 3];
    await writeNeighboursFile(join(similarityDir, 'neighbours-relative.arrow'), {
      kind: 'relative', k: 1, ids: Int32Array.of(0, 1, 2, 3, 4, 5),
      neighbourIds: Int32Array.from(top.flatMap((t, i) => [t, bottom[i]])), values: Float64Array.from({ length: 12 }, (_, k) => (k % 2 === 0 ? 0.9 : 0.1)),
    }, META);
    const outDir = join(dir, 'report');
    const r = await runReport({ config: {}, pipelineFile: 'p.json', pipelineName: 'p', datasetFile, similarityDir, outDir });
    assert.equal(r.neighbours!.length, 1);
    const s = r.neighbours![0];
    assert.deepEqual([s.kind, s.k, s.probed, s.sameClassTop, s.sameClassBottom], ['relative', 1, 6, 5 / 6, 1 / 6]);
    // Two examples per class, class order: 0, 2 (class 4), 1, 3 (class 9).
    assert.deepEqual(s.examples.map((e) => [e.id, e.class, e.top[0].id, e.top[0].class, e.bottom[0].id]), [[0, 4, 2, 4, 1], [2, 4, 0, 4, 1], [1, 9, 3, 9, 0], [3, 9, 2, 4, 0]]);

    const html = await readFile(join(outDir, 'report.html'), 'utf8');
    const section = /<h2>Elastic neighbours<\/h2>[\s\S]*?<\/section>/.exec(html)![0];
    assert.match(section, /83\.3% of the most moved neighbours share the example&#39;s class, 16\.7% of the least moved/);
    const sources = [...section.matchAll(/<img src="([^"]+)" width="16" height="16" alt="example (\d+)">/g)];
    assert.equal(sources.length, 4 * 3, '4 examples, each with 1 most and 1 least moved');
    assert.deepEqual(sources.slice(0, 3).map((m) => Number(m[2])), [0, 2, 1]);
    // Example 0's image: pixel p is p / 70 * 2 - 1 over the data set's range [-1, (6 + 63) / 70 * 2 - 1]; drawn dark on white.
    const png = Buffer.from(sources[0][1].slice('data:image/png;base64,'.length), 'base64');
    const raw = inflateSync(chunks(png)[1].data);
    const hi = Math.fround(69 / 70 * 2 - 1);
    for (const p of [0, 9, 63]) {
      const v = Math.fround(p / 70 * 2 - 1);
      assert.equal(raw[Math.floor(p / 8) * 9 + 1 + (p % 8)], 255 - Math.round(255 * (v + 1) / (hi + 1)), `pixel ${p}`);
    }
    assert.ok(sources.every((m) => m[1].startsWith('data:image/png;base64,')), 'no image file or URL');
    assert.match(await readFile(join(outDir, 'report.md'), 'utf8'), /- relative similarity, k = 1, 6 probed examples: 83\.3% of the most moved/);
    assert.ok(r.metadata!.files.some((f) => f.file.endsWith('neighbours-relative.arrow')), 'in the provenance');
  });
});

test('synthetic data: each example and its neighbours are marked on a scatter of the points; a neighbour that is not a primary example is an error', async () => {
  await withTempDir('report-neighbours-', async (dir) => {
    const angles = Array.from({ length: 10 }, (_, i) => 0.5 * i);
    const run = await writeCircleRun(dir, angles);
    const ids = Int32Array.from({ length: 10 }, (_, i) => 2 * i);
    const around = (i: number) => [ids[(i + 1) % 10], ids[(i + 9) % 10], ids[(i + 5) % 10], ids[(i + 4) % 10]];
    await writeNeighboursFile(join(run.similarityDir, 'neighbours-kernelized.arrow'), {
      kind: 'kernelized', k: 2, ids, neighbourIds: Int32Array.from(Array.from(ids, (_, i) => around(i)).flat()), values: new Float64Array(40),
    }, META);
    const r = await runReport({ config: {}, pipelineFile: 'p.json', pipelineName: 'p', ...run, outDir: join(dir, 'report') });
    assert.deepEqual(r.neighbours!.map((s) => [s.kind, s.sameClassTop, s.sameClassBottom, s.examples.length]), [['kernelized', 1, 1, 2]]);
    const html = await readFile(join(dir, 'report', 'report.html'), 'utf8');
    const section = /<h2>Elastic neighbours<\/h2>[\s\S]*?<\/section>/.exec(html)![0];
    const scatters = section.match(/<svg class="neighbour-points"[\s\S]*?<\/svg>/g)!;
    assert.equal(scatters.length, 2);
    // Every primary point grey, 2 most moved red, 2 least moved blue, the example black.
    for (const svg of scatters) {
      assert.deepEqual(['#ccc', '#d62728', '#1f5fbf', '#000'].map((c) => svg.split(`fill="${c}"`).length - 1), [10, 2, 2, 1]);
    }
    assert.doesNotMatch(section, /<img /);
    assert.doesNotMatch(html, /https?:\/\//);

    await writeNeighboursFile(join(run.similarityDir, 'neighbours-kernelized.arrow'), {
      kind: 'kernelized', k: 1, ids: Int32Array.of(0), neighbourIds: Int32Array.of(2, 1), values: new Float64Array(2),
    }, META);
    await assert.rejects(runReport({ config: {}, pipelineFile: 'p.json', pipelineName: 'p', ...run, outDir: join(dir, 'report2') }),
      (e: unknown) => e instanceof ElasticityError && e.field === 'id' && e.message.includes('neighbours-kernelized.arrow: id: id 1 is not a primary example'));
  });
});

test('3-channel images (CIFAR-10\'s layout, channel-major) are drawn in colour: each pixel\'s red, green and blue from its three planes', async () => {
  await withTempDir('report-neighbours-', async (dir) => {
    const roles: Role[] = ['primary', 'primary'];
    // Example i, channel c, pixel p: (c * 64 + p + i) / 200 * 2 - 1, so the data set's range is [-1, (128 + 63 + 1) / 200 * 2 - 1].
    const value = (i: number, c: number, p: number) => Math.fround((c * 64 + p + i) / 200 * 2 - 1);
    const ds: Dataset = {
      name: 'colour', inputShape: [3, 8, 8], scaling: 'minus-one-one', d: 192, ids: Int32Array.of(0, 1),
      x: Float32Array.from({ length: 2 * 192 }, (_, k) => value(Math.floor(k / 192), Math.floor((k % 192) / 64), k % 64)),
      target: Float32Array.of(1, 1), classes: Int16Array.of(3, 5), roles,
    };
    const datasetFile = join(dir, 'ingest', 'dataset.arrow');
    await writeDatasetFile(datasetFile, ds, { ...META, stage: 'ingest' });
    await writeNeighboursFile(join(dir, 'similarity', 'neighbours-relative.arrow'), { kind: 'relative', k: 1, ids: Int32Array.of(0, 1), neighbourIds: Int32Array.of(1, 1, 0, 0), values: new Float64Array(4) }, META);
    await runReport({ config: {}, pipelineFile: 'p.json', pipelineName: 'p', datasetFile, similarityDir: join(dir, 'similarity'), outDir: join(dir, 'report') });
    const html = await readFile(join(dir, 'report', 'report.html'), 'utf8');
    const first = /<img src="data:image\/png;base64,([^"]+)" width="16" height="16" alt="example 0">/.exec(html)!;
    const parts = chunks(Buffer.from(first[1], 'base64'));
    assert.equal(parts[0].data[9], 2, 'colour type RGB');
    const raw = inflateSync(parts[1].data);
    const [lo, hi] = [value(0, 0, 0), value(1, 2, 63)];
    const p = 10;
    const at = Math.floor(p / 8) * (8 * 3 + 1) + 1 + (p % 8) * 3;
    assert.deepEqual([...raw.subarray(at, at + 3)], [0, 1, 2].map((c) => Math.round(255 * (value(0, c, p) - lo) / (hi - lo))));
  });
});
