import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ElasticityError } from '@elasticity/core';
import { withTempDir } from '@elasticity/core/testing';
import { runMatrixReport } from './matrix-report.ts';
import { writeMatrixRun } from './test-fixtures.ts';

const count = (text: string, pattern: RegExp) => (text.match(pattern) ?? []).length;
/** Rows in the body of the table with this id. */
const bodyRows = (html: string, id: string) => count(new RegExp(`<table id="${id}"[\\s\\S]*?</table>`).exec(html)?.[0] ?? '', /<tr>/g) - 1;
const close = (a: number | undefined, b: number, tol = 1e-12) => assert.ok(a !== undefined && Math.abs(a - b) <= tol, `${a} vs ${b}`);

test('matrix report: results.json, report.md and a self-contained report.html with the table, a figure and the runs', async () => {
  await withTempDir('matrix-report-', async (dir) => {
    const combos = await writeMatrixRun(dir);
    const outDir = join(dir, 'matrix');
    const r = await runMatrixReport({ pipeline: 'table1', axes: ['scale', 'pair', 'model', 'seed'], combos, outDir, filter: { scale: 'quick' } });
    assert.equal(r.title, 'table1: clustering accuracy over 8 runs');
    assert.deepEqual(r.filter, { scale: 'quick' });
    assert.deepEqual(r.combos.map((c) => c.id), combos.map((c) => c.id));
    assert.equal(r.combos[3].results.pipeline, 'table1.quick.5v8.relu-bce.1', 'each run\'s own results are kept');
    assert.deepEqual(r.table.columns.map((c) => c.label), ['K-means on pixels', 'relative similarity + K-means (relu-mse)', 'relative similarity + K-means (relu-bce)']);
    // 5v8 relu-mse: seeds 0.9 and 0.92 -> 0.91 ± sqrt(2 * 0.01² / 1).
    close(r.table.rows[0].cells[1]!.mean, 0.91);
    close(r.table.rows[0].cells[1]!.sd, Math.sqrt(0.0002));
    close(r.table.rows[1].cells[2]!.mean, 0.61);
    assert.deepEqual(JSON.parse(await readFile(join(outDir, 'results.json'), 'utf8')), JSON.parse(JSON.stringify(r)));

    const md = await readFile(join(outDir, 'report.md'), 'utf8');
    assert.ok(md.startsWith('# table1: clustering accuracy over 8 runs\n'));
    assert.ok(md.includes('filter scale=quick'));
    assert.ok(md.includes('| pair | data set | K-means on pixels | relative similarity + K-means (relu-mse) | relative similarity + K-means (relu-bce) |'), md);
    assert.ok(md.includes('| 5v8 | mnist 5v8 | 0.560 ± 0.000 | 0.910 ± 0.014 | 0.810 ± 0.014 |'), md);
    assert.ok(md.includes('| quick.3v5.relu-mse.1 | scale=quick, pair=3v5, model=relu-mse, seed=1 | MLPNet | 0.9900 | 0.9750 | – | wasm |'), 'no timings file: –');
    assert.ok(md.includes('| quick.3v5.relu-bce.0 | scale=quick, pair=3v5, model=relu-bce, seed=0 | MLPProb | 0.9900 | – | 12.3 s | wasm |'), 'training time from the timings file; no held-out set: –');
    assert.doesNotMatch(await readFile(join(outDir, 'results.json'), 'utf8'), /12\.25|seconds/, 'no wall time in results.json');

    const html = await readFile(join(outDir, 'report.html'), 'utf8');
    assert.equal(bodyRows(html, 'matrix-table'), 2);
    assert.equal(bodyRows(html, 'runs-table'), 8);
    assert.equal(count(html, /<figure /g), 1);
    assert.equal(count(html, /<svg /g), 1);
    assert.match(await readFile(join(outDir, 'figures', 'matrix-accuracy.svg'), 'utf8'), /^<svg /);
    assert.doesNotMatch(html, /https?:\/\//, 'no URLs at all');
    assert.doesNotMatch(html, /<(script|link|img)[^>]+(src|href)=/, 'nothing loaded from elsewhere');
    const data = JSON.parse(/<script type="application\/json" id="report-data">(.*?)<\/script>/s.exec(html)![1]);
    assert.equal(data.table.rows[0].cells[1].mean, r.table.rows[0].cells[1]!.mean, 'the page carries the results as data');
  });
});

test('a combination without results.json, or with a malformed one, is one error naming the file; nothing is written', async () => {
  await withTempDir('matrix-report-', async (dir) => {
    const combos = await writeMatrixRun(dir);
    const outDir = join(dir, 'matrix');
    const gone = { ...combos[2], reportDir: join(dir, 'never-run', 'report') };
    await assert.rejects(runMatrixReport({ pipeline: 'table1', axes: ['scale', 'pair', 'model', 'seed'], combos: [...combos.slice(0, 2), gone], outDir }),
      (e: unknown) => e instanceof ElasticityError && e.file === join(gone.reportDir, 'results.json') && e.message.includes('quick.5v8.relu-bce.0'));
    await writeFile(join(combos[5].reportDir, 'results.json'), JSON.stringify({ pipeline: 'x', results: [] }));
    await assert.rejects(runMatrixReport({ pipeline: 'table1', axes: ['scale', 'pair', 'model', 'seed'], combos, outDir }),
      (e: unknown) => e instanceof ElasticityError && e.file === join(combos[5].reportDir, 'results.json') && e.field === 'pipeline');
    assert.equal(existsSync(outDir), false);
    await assert.rejects(runMatrixReport({ pipeline: 'table1', axes: ['pair'], combos: [], outDir }), (e: unknown) => e instanceof ElasticityError && e.field === 'combos');
  });
});
