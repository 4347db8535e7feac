import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, readdir, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { ElasticityError, matrixRowsWithin, writeDatasetFile, writeMatrixBlocks, writeMatrixFile } from '@elasticity/core';
import type { Dataset } from '@elasticity/core';
import { withTempDir } from '@elasticity/core/testing';
import { runReport } from './report-stage.ts';
import { writeCircleRun } from './test-fixtures.ts';

const META = (stage: string) => ({ stage, params: {}, seed: 0, inputs: {} });
const MB = 2 ** 20;

/** 13 primary examples of classes 3 and 5 (ids 10, 12, …; odd rows auxiliary) and two similarity matrices, one written in record batches of 4 rows. */
async function writeRun(dir: string) {
  const n = 13, rows = 2 * n;
  const classes = Int16Array.from({ length: rows }, (_, r) => (r % 2 === 1 ? 9 : (r >> 1) % 3 === 0 ? 5 : 3));
  const ds: Dataset = {
    name: 'blocks', inputShape: [2], scaling: 'none', ids: Int32Array.from({ length: rows }, (_, r) => 10 + r),
    x: Float32Array.from({ length: 2 * rows }, (_, k) => Math.sin(k)), d: 2, target: new Float32Array(rows), classes,
    roles: Array.from({ length: rows }, (_, r) => (r % 2 === 0 ? 'primary' : 'auxiliary')),
  };
  const ids = Int32Array.from({ length: n }, (_, i) => 10 + 2 * i);
  const primaryClasses = Array.from({ length: n }, (_, i) => classes[2 * i]);
  const relative = Float64Array.from({ length: n * n }, (_, q) => 1.5 + Math.cos(q * 0.37) + (q % (n + 1) === 0 ? 5 : 0));
  const ntk = Float64Array.from({ length: n * n }, (_, q) => 1 / (1 + Math.abs(Math.floor(q / n) - (q % n))));
  await mkdir(join(dir, 'ingest'), { recursive: true });
  await mkdir(join(dir, 'similarity'), { recursive: true });
  const datasetFile = join(dir, 'ingest', 'dataset.arrow');
  await writeDatasetFile(datasetFile, ds, META('ingest'));
  await writeMatrixFile(join(dir, 'similarity', 'relative.arrow'), { kind: 'relative', rowIds: ids, columnIds: ids, values: relative }, META('similarity'));
  await writeMatrixBlocks([{ file: join(dir, 'similarity', 'ntk.arrow'), header: { kind: 'ntk', columnIds: ids } }], META('similarity'), n, 4,
    (from, to) => [{ rowIds: ids.subarray(from, to), values: ntk.subarray(from * n, to * n) }]);
  return { n, ds, datasetFile, similarityDir: join(dir, 'similarity'), matrices: { relative, ntk }, primaryClasses };
}

/** Mean over pairs i != j of the same class and of different classes, written out here. */
function classMeans(values: Float64Array, classes: number[]) {
  const n = classes.length;
  const same: number[] = [], other: number[] = [];
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) if (i !== j) (classes[i] === classes[j] ? same : other).push(values[i * n + j]);
  const mean = (a: number[]) => a.reduce((s, v) => s + v, 0) / a.length;
  return { within: mean(same), between: mean(other) };
}

test('report.memoryMb: similarity matrices over the budget are read in row blocks, with the whole matrices\' heatmaps and elasticity ratios', async () => {
  await withTempDir('report-blocks-', async (dir) => {
    const run = await writeRun(dir);
    const rowBytes = run.n * 16 * 4;
    // a budget that leaves room for 3 rows beside the runtime and the data set (budget arithmetic: matrixRowsWithin)
    const threeRows = (320 * MB + run.ds.x.byteLength + 3.5 * rowBytes) / MB;
    assert.equal(matrixRowsWithin(threeRows, { columns: run.n, bytesPerEntry: 16, fixedBytes: run.ds.x.byteLength }, { file: 'p.json', field: 'report.memoryMb' }), 3);
    const report = (memoryMb: number, out: string) => runReport({ config: { memoryMb }, pipelineFile: 'p.json', pipelineName: 'blocks', datasetFile: run.datasetFile, similarityDir: run.similarityDir, outDir: join(dir, out) });
    const whole = await report(4096, 'whole');
    const blocks = await report(threeRows, 'blocks');
    assert.deepEqual(blocks.elasticity, whole.elasticity);
    for (const [k, source] of ['relative', 'ntk'].entries()) {
      const expected = classMeans(run.matrices[source as 'relative' | 'ntk'], run.primaryClasses);
      const got = whole.elasticity![k];
      assert.equal(got.source, source);
      assert.ok(Math.abs(got.within - expected.within) <= 1e-12 * Math.abs(expected.within), `${source} within`);
      assert.ok(Math.abs(got.between - expected.between) <= 1e-12 * Math.abs(expected.between), `${source} between`);
      assert.equal(got.ratio, got.within / got.between);
    }
    // the figures (heatmap block means among them) are the same, but for the ids vega numbers its gradients with, per process
    const figures = await readdir(join(dir, 'whole', 'figures'));
    assert.ok(figures.length > 0);
    for (const f of figures) {
      const svg = async (folder: string) => (await readFile(join(dir, folder, 'figures', f), 'utf8')).replace(/gradient_\d+/g, 'gradient');
      const [a, b] = [await svg('blocks'), await svg('whole')];
      const at = [...a].findIndex((ch, q) => ch !== b[q]);
      assert.ok(a === b, `${f} differs at ${at}: ${a.slice(at - 80, at + 40)} vs ${b.slice(at - 80, at + 40)}`);
    }
  });
});

test('report.memoryMb: the geodesic analysis holds its matrices whole, so a budget that cannot is refused naming the field', async () => {
  await withTempDir('report-blocks-', async (dir) => {
    const run = await writeCircleRun(dir, Array.from({ length: 24 }, (_, i) => (2 * Math.PI * i) / 24));
    await assert.rejects(
      runReport({ config: { memoryMb: 320.01 }, pipelineFile: 'p.json', pipelineName: 'circle', ...run, outDir: join(dir, 'report') }),
      (e: unknown) => e instanceof ElasticityError && e.file === 'p.json' && e.field === 'report.memoryMb' && /geodesic analysis holds every similarity matrix \(24 x 24\) whole/.test(e.message),
    );
    await assert.rejects(readdir(join(dir, 'report')), 'no output');
  });
});
