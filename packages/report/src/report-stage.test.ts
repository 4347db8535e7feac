import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { readFile, readdir } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { ElasticityError, writeFeaturesFile, writeMatrixFile } from '@elasticity/core';
import { withTempDir } from '@elasticity/core/testing';
import { parseReportConfig, runReport } from './report-stage.ts';
import { runReportAll } from './report-all.ts';
import { writeCircleRun, writeClusterMetrics } from './test-fixtures.ts';
import { chanceAccuracy } from './chance.ts';
import { formatPipelineSummary } from './summary.ts';

const ANGLES = Array.from({ length: 24 }, (_, i) => -3 + 0.25 * i + 0.001 * i * i);
const count = (text: string, pattern: RegExp) => (text.match(pattern) ?? []).length;
/** Rows in the body of the table with this id. */
const bodyRows = (html: string, id: string) => count(new RegExp(`<table id="${id}"[\\s\\S]*?</table>`).exec(html)?.[0] ?? '', /<tr>/g) - 1;

test('synthetic run: geodesic analysis, figures, and a self-contained HTML page', async () => {
  await withTempDir('report-stage-', async (dir) => {
    const run = await writeCircleRun(dir, ANGLES);
    const outDir = join(dir, 'report');
    const r = await runReport({ config: { bins: 6 }, pipelineFile: 'p.json', pipelineName: 'circle', ...run, outDir });
    const n = ANGLES.length;
    assert.deepEqual(r.geodesic!.map((g) => [g.measure, g.source, g.pairs]), [['relative similarity', 'relative', n * (n - 1) / 2], ['kernel distance', 'kernelized', n * (n - 1) / 2]]);
    // exp(-g) falls and the chord 2 sin(g/2) rises with geodesic distance.
    assert.ok(Math.abs(r.geodesic![0].spearman + 1) < 1e-12);
    assert.ok(Math.abs(r.geodesic![1].spearman - 1) < 1e-9);
    assert.equal(r.geodesic![0].bins.length, 6);
    assert.equal(r.dataset.synthetic, 'torus');
    assert.deepEqual(r.results, []);
    assert.deepEqual(r.figures!.map((f) => f.id), ['geodesic-scatter', 'similarity-heatmaps']);
    for (const f of r.figures!) assert.match(await readFile(join(outDir, f.file), 'utf8'), /^<svg [^>]*xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
    assert.deepEqual(Object.keys(r.metadata!.reportInputs).sort(), [run.datasetFile, run.geodesicFile, join(run.similarityDir, 'kernelized.arrow'), join(run.similarityDir, 'relative.arrow')].map((f) => relative(process.cwd(), f)).sort());
    assert.deepEqual(r.metadata!.files.map((f) => f.stage), ['ingest', 'ingest', 'similarity', 'similarity']);

    const html = await readFile(join(outDir, 'report.html'), 'utf8');
    assert.doesNotMatch(html, /https?:\/\//, 'no URLs at all');
    assert.doesNotMatch(html, /<(script|link|img)[^>]+(src|href)=/, 'nothing loaded from elsewhere');
    assert.equal(count(html, /<figure /g), 2);
    assert.equal(count(html, /<svg /g), 2);
    assert.equal(bodyRows(html, 'geodesic-table'), 2);
    assert.ok(bodyRows(html, 'geodesic-bins') >= 1 && bodyRows(html, 'geodesic-bins') <= 6);
    assert.equal(bodyRows(html, 'provenance-table'), 4);
    // The facts first, then the per-file tables folded.
    assert.ok(html.indexOf('id="provenance-facts"') < html.indexOf('<details>'));
    assert.equal(count(html, /<details><summary>/g), 2);
    assert.match(html, /<summary>4 upstream files: /);
    const env = r.metadata!.environment!;
    assert.equal(env.node, process.version);
    assert.match(env.git!.commit, /^[0-9a-f]{40}$/, 'the tests run in the git checkout');
    assert.ok(html.includes(`git commit ${env.git!.commit} of ${env.git!.date}`));
    assert.ok(html.includes(`apache-arrow ${env.packages['apache-arrow']}`));
    assert.ok(env.machine.cores >= 1 && html.includes(`${env.machine.cores} core`));
    const data = JSON.parse(/<script type="application\/json" id="report-data">(.*?)<\/script>/s.exec(html)![1]);
    assert.equal(data.geodesic[0].pearson, r.geodesic![0].pearson, 'the page carries the results as data');
    const md = await readFile(join(outDir, 'report.md'), 'utf8');
    assert.ok(md.includes(`| relative similarity | relative | ${n * (n - 1) / 2} | ${r.geodesic![0].pearson.toFixed(4)} | -1.0000 |`));
    assert.deepEqual((await readdir(dir)).sort(), ['ingest', 'report', 'report.timings.json', 'similarity'], 'no staging folder left (the timings file is not one)');
  });
});

test('clustered run: results table and clustering figure; the cross-pipeline report lays them out as Table 1', async () => {
  await withTempDir('report-stage-', async (dir) => {
    const a = await writeCircleRun(join(dir, 'a'), ANGLES);
    const clusterDir = await writeClusterMetrics(join(dir, 'a', 'cluster'), [['raw', 'kmeans', [0.6, 0.7]], ['relative', 'kmeans', [0.9, 0.8]]]);
    const r = await runReport({ config: {}, pipelineFile: 'a.json', pipelineName: 'a', datasetFile: a.datasetFile, similarityDir: a.similarityDir, clusterDir, outDir: join(dir, 'a', 'report') });
    assert.equal(r.geodesic, undefined, 'no geodesic file: no geodesic analysis');
    assert.deepEqual(r.figures!.map((f) => f.id), ['similarity-heatmaps', 'clustering']);
    // The circle's primary examples are one class of 24.
    assert.deepEqual(r.clustering, { k: 2, seeds: 2, chance: { accuracy: chanceAccuracy([ANGLES.length], { k: 2 }), majority: 1, classSizes: [ANGLES.length] } });
    assert.match(formatPipelineSummary(r), /\nchance: accuracy 0\.\d{4} \(a random labelling into 2 clusters, best matching; classes of 24\), ARI 0$/);
    const html = await readFile(join(dir, 'a', 'report', 'report.html'), 'utf8');
    assert.equal(bodyRows(html, 'results-table'), 2);
    assert.ok(html.includes('0.6500 ± 0.0707'), 'accuracy mean ± sd of 0.6, 0.7');
    assert.ok(html.includes('mean ± sd over 2 seeds') && !html.includes('seed(s)'));
    assert.ok((await readFile(join(dir, 'a', 'report', 'report.md'), 'utf8')).includes(`chance: accuracy ${r.clustering!.chance!.accuracy.toFixed(4)}`));

    const b = await writeCircleRun(join(dir, 'b'), ANGLES.slice(0, 10));
    await runReport({ config: {}, pipelineFile: 'b.json', pipelineName: 'b', ...b, outDir: join(dir, 'b', 'report') });
    const all = await runReportAll({ pipelines: [{ name: 'a', reportDir: join(dir, 'a', 'report') }, { name: 'b', reportDir: join(dir, 'b', 'report') }], outDir: join(dir, 'all') });
    assert.deepEqual(all.table1.columns, ['K-means on pixels', 'relative similarity + K-means']);
    assert.equal(all.table1.rows.length, 1, 'only the clustered pipeline has a Table 1 row');
    const allHtml = await readFile(join(dir, 'all', 'report.html'), 'utf8');
    assert.equal(bodyRows(allHtml, 'table1'), 1);
    assert.equal(bodyRows(allHtml, 'geodesic-table'), 2, 'pipeline b: relative similarity and kernel distance');
    assert.equal(bodyRows(allHtml, 'run-table'), 2);
    // Summary figures (correlations, Table 1 accuracy) plus every pipeline's own figures.
    assert.equal(count(allHtml, /<figure /g), 2 + 2 + 2);
    assert.doesNotMatch(allHtml, /https?:\/\//);
    await assert.rejects(runReportAll({ pipelines: [{ name: 'c', reportDir: join(dir, 'c', 'report') }], outDir: join(dir, 'all2') }),
      (e: unknown) => e instanceof ElasticityError && e.message.includes(join(dir, 'c', 'report', 'results.json')));
  });
});

test('every similarity matrix of the run is drawn, baselines named in the caption as feature files; ordered relative, kernelized, ntk, then by name', async () => {
  await withTempDir('report-stage-', async (dir) => {
    const run = await writeCircleRun(dir, ANGLES.slice(0, 8));
    const ids = Int32Array.from({ length: 8 }, (_, i) => 2 * i);
    const meta = { stage: 'similarity', params: {}, seed: null, inputs: {} };
    const eye = Float64Array.from({ length: 64 }, (_, k) => (k % 9 === 0 ? 1 : 0.5));
    await writeMatrixFile(join(run.similarityDir, 'ntk.arrow'), { kind: 'ntk', rowIds: ids, columnIds: ids, values: eye }, meta);
    await writeMatrixFile(join(run.similarityDir, 'activation-cosine.arrow'), { kind: 'activation-cosine', rowIds: ids, columnIds: ids, values: eye }, meta);
    await writeFeaturesFile(join(run.similarityDir, 'raw.arrow'), { kind: 'raw', ids, values: new Float64Array(16), dim: 2 }, meta);
    const outDir = join(dir, 'report');
    const r = await runReport({ config: {}, pipelineFile: 'p.json', pipelineName: 'p', ...run, outDir });
    const heat = r.figures!.find((f) => f.id === 'similarity-heatmaps')!;
    const svg = await readFile(join(outDir, heat.file), 'utf8');
    const titles = ['relative', 'kernelized', 'ntk', 'activation-cosine'].map((k) => svg.indexOf(`>${k}</text>`));
    assert.ok(titles.every((t, i) => t > 0 && (i === 0 || t > titles[i - 1])), `panels in order: ${titles}`);
    assert.ok(svg.includes('mean over pairs 0.500'), 'one class: the mean over pairs i != j of the 0.5 matrix');
    assert.match(heat.caption, /the 4 similarity matrices of the run \(relative, kernelized, ntk and activation-cosine\) over the 8 primary examples/);
    assert.match(heat.caption, /raw is a feature file .*not drawn/);
    assert.deepEqual(r.metadata!.files.filter((f) => f.stage === 'similarity').map((f) => f.file.split('/').pop()),
      ['relative.arrow', 'kernelized.arrow', 'ntk.arrow', 'activation-cosine.arrow']);
    assert.deepEqual(r.geodesic!.map((g) => g.source), ['relative', 'kernelized'], 'the geodesic analysis still prefers the kernelized probe');
  });
});

test('a similarity matrix over other examples is one error naming the file; nothing is written', async () => {
  await withTempDir('report-stage-', async (dir) => {
    const run = await writeCircleRun(dir, ANGLES.slice(0, 5));
    const ids = Int32Array.from([0, 2, 4, 6, 9]);
    await writeMatrixFile(join(run.similarityDir, 'relative.arrow'), { kind: 'relative', rowIds: ids, columnIds: ids, values: new Float64Array(25) }, { stage: 'similarity', params: {}, seed: null, inputs: {} });
    const outDir = join(dir, 'report');
    await assert.rejects(runReport({ config: {}, pipelineFile: 'p.json', pipelineName: 'p', ...run, outDir }),
      (e: unknown) => e instanceof ElasticityError && e.field === 'id' && e.message.includes(join(run.similarityDir, 'relative.arrow')));
    assert.equal(existsSync(outDir), false);
  });
});

test('report config: defaults, and every key checked', () => {
  assert.deepEqual(parseReportConfig(undefined, 'p.json'), { bins: 12, components: 10, heatmapCells: 40, memoryMb: 4096 });
  assert.deepEqual(parseReportConfig({ title: 'T', bins: 3 }, 'p.json'), { title: 'T', bins: 3, components: 10, heatmapCells: 40, memoryMb: 4096 });
  const fails = (section: unknown, field: string) => assert.throws(() => parseReportConfig(section, 'p.json'), (e: unknown) => e instanceof ElasticityError && e.field === field && e.file === 'p.json');
  fails({ colour: 'red' }, 'report.colour');
  fails({ bins: 0 }, 'report.bins');
  fails({ components: 2.5 }, 'report.components');
  fails({ title: 3 }, 'report.title');
  fails({ memoryMb: 0 }, 'report.memoryMb');
  fails([], 'report');
});
