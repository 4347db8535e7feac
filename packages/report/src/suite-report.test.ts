import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ElasticityError } from '@elasticity/core';
import { withTempDir } from '@elasticity/core/testing';
import { runMatrixReport } from './matrix-report.ts';
import { runSuiteReport } from './suite-report.ts';
import { writeMatrixRun } from './test-fixtures.ts';

const count = (text: string, pattern: RegExp) => (text.match(pattern) ?? []).length;
const bodyRows = (html: string, id: string) => count(new RegExp(`<table id="${id}"[\\s\\S]*?</table>`).exec(html)?.[0] ?? '', /<tr>/g) - 1;

test('suite report: the matrix reports\' tables one after the other, with a figure each; missing or malformed inputs name the file', async () => {
  await withTempDir('suite-report-', async (dir) => {
    const axes = ['scale', 'pair', 'model', 'seed'];
    const table1 = await runMatrixReport({ pipeline: 'table1', title: 'Table 1 (MNIST)', axes, combos: await writeMatrixRun(join(dir, 'table1')), outDir: join(dir, 'table1', 'matrix') });
    // The second matrix: only one model and one seed; rows by pair and model.
    const arch = (await writeMatrixRun(join(dir, 'arch'), 'arch')).filter((c) => c.labels.seed === '0');
    const archReport = await runMatrixReport({ pipeline: 'arch', title: 'Architectures', axes, combos: arch, rowAxes: ['pair', 'model'], outDir: join(dir, 'arch', 'matrix'), filter: { seed: '0' } });
    const reports = [{ name: 'table1', dir: join(dir, 'table1', 'matrix') }, { name: 'arch', dir: join(dir, 'arch', 'matrix') }];
    const outDir = join(dir, 'suite');
    const suite = await runSuiteReport({ title: 'Reproduction', reports, outDir });

    assert.deepEqual(suite.reports.map((r) => [r.name, r.title, r.pipeline, r.runs]), [['table1', 'Table 1 (MNIST)', 'table1', 8], ['arch', 'Architectures', 'arch', 4]]);
    assert.deepEqual(suite.reports[0].table, table1.table);
    assert.deepEqual(suite.reports[1].table, archReport.table);
    assert.deepEqual(suite.reports[1].filter, { seed: '0' });
    assert.deepEqual(JSON.parse(await readFile(join(outDir, 'results.json'), 'utf8')), JSON.parse(JSON.stringify(suite)));

    const md = await readFile(join(outDir, 'report.md'), 'utf8');
    const first = md.indexOf('## Table 1 (MNIST)');
    const second = md.indexOf('## Architectures');
    assert.ok(md.startsWith('# Reproduction\n') && first > 0 && second > first, md);
    assert.ok(md.indexOf('| 5v8 | mnist 5v8 | 0.560 ± 0.000 | 0.910 ± 0.014 | 0.810 ± 0.014 |') > first);
    // Architectures: one seed, so each cell is the run's own mean ± sd over its two clustering seeds (0.89, 0.91).
    assert.ok(md.indexOf('| 5v8 · relu-mse | mnist 5v8 | 0.560 ± 0.014 | 0.900 ± 0.014 |') > second, md);
    assert.ok(md.includes('filter seed=0'));
    assert.ok(md.includes('[../arch/matrix/report.html](../arch/matrix/report.html)'));

    const html = await readFile(join(outDir, 'report.html'), 'utf8');
    assert.equal(bodyRows(html, 'table-table1'), 2);
    assert.equal(bodyRows(html, 'table-arch'), 4);
    assert.equal(count(html, /<figure /g), 2);
    assert.ok(existsSync(join(outDir, 'figures', 'table1.svg')) && existsSync(join(outDir, 'figures', 'arch.svg')));
    assert.doesNotMatch(html, /https?:\/\//);

    const missing = { name: 'cifar', dir: join(dir, 'cifar', 'matrix') };
    await assert.rejects(runSuiteReport({ title: 'R', reports: [...reports, missing], outDir: join(dir, 'suite2') }),
      (e: unknown) => e instanceof ElasticityError && e.file === join(missing.dir, 'results.json') && e.message.includes('cifar'));
    await writeFile(join(dir, 'table1', 'matrix', 'results.json'), JSON.stringify({ ...table1, table: { columns: [] } }));
    await assert.rejects(runSuiteReport({ title: 'R', reports, outDir: join(dir, 'suite2') }),
      (e: unknown) => e instanceof ElasticityError && e.file === join(reports[0].dir, 'results.json') && e.field === 'table');
    await assert.rejects(runSuiteReport({ title: 'R', reports: [reports[1], { ...reports[1] }], outDir: join(dir, 'suite2') }),
      (e: unknown) => e instanceof ElasticityError && e.field === 'reports[1].name');
    assert.equal(existsSync(join(dir, 'suite2')), false);
  });
});
