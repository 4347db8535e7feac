/**
 * The HTML reports in a real browser: Debian's Chromium driven by
 * playwright-core opens report.html from a file:// URL with the network
 * blocked, and checks that the page runs without console errors, shows the
 * tables with the expected rows and renders every figure. A screenshot of
 * each page is kept under test-output/ (git-ignored).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import type { Page } from 'playwright-core';
import { main } from '../../packages/cli/src/main.ts';
import { REPO, scratchWorkspace } from './workspace.ts';

export const CHROMIUM = '/usr/bin/chromium';
export const CHROMIUM_FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'];

const TORUS = {
  dataset: { source: 'synthetic', synthetic: { shape: 'torus', points: 30 }, seed: 1 },
  train: { model: 'MLPNet', width: 64, loss: 'mse', lr: 0.001, batch: 60, epochs: 30, seed: 1 },
  probe: { kinds: ['relative', 'kernelized'], eta: 'authors' },
  similarity: { use: ['relative', 'kernelized'], baselines: [] },
  report: { title: 'Torus <ReLU> & "friends"' },
};
const DIGITS = {
  dataset: { source: 'mnist-sample', primary: [4, 9], auxiliary: [5, 7], perClass: 12, testPerClass: 4, seed: 0 },
  train: { model: 'MLPNet', width: 16, epochs: 3, batch: 12, lr: 0.003, seed: 0 },
  probe: { kinds: ['relative', 'kernelized'], eta: 'authors' },
  similarity: { use: ['relative', 'kernelized'], baselines: ['raw', 'pca'], pcaComponents: 4 },
  cluster: {
    k: 2, seeds: 2, restarts: 2,
    methods: [{ input: 'raw', method: 'kmeans' }, { input: 'pca', method: 'kmeans' }, { input: 'relative', method: 'kmeans' }, { input: 'kernelized', method: 'kernel-kmeans' }],
  },
  report: {},
};

async function elasticity(args: string[]): Promise<void> {
  const code = await main([...args, '--backend', 'cpu']);
  assert.equal(code, 0, `elasticity ${args.join(' ')} exited with ${code}`);
}

interface PageCheck {
  errors: string[];
  offline: string[];
  ready: string | undefined;
  rows: Record<string, number>;
  figures: { id: string; width: number; height: number; marks: number }[];
}

/** Opens a report from disk and reads what a reader would see. */
async function openReport(page: Page, file: string, tables: string[], screenshot: string): Promise<PageCheck> {
  const errors: string[] = [];
  const offline: string[] = [];
  page.removeAllListeners('console');
  page.removeAllListeners('pageerror');
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.route('**/*', (route) => {
    const url = route.request().url();
    if (url.startsWith('file://')) return route.continue();
    offline.push(url);
    return route.abort();
  });
  await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });
  const ready = await page.evaluate<string | undefined>('document.documentElement.dataset.ready');
  const rows: Record<string, number> = {};
  for (const id of tables) rows[id] = await page.locator(`table#${id} tbody tr`).count();
  const figures = await page.$$eval('figure.figure', (nodes) => nodes.map((f) => {
    const svg = f.querySelector('svg');
    const box = svg?.getBoundingClientRect();
    return { id: f.getAttribute('data-figure') ?? '', width: box?.width ?? 0, height: box?.height ?? 0, marks: svg ? svg.querySelectorAll('g.role-mark > *').length : 0 };
  }));
  await mkdir(join(REPO, 'test-output'), { recursive: true });
  await page.screenshot({ path: join(REPO, 'test-output', screenshot), fullPage: true });
  await page.unroute('**/*');
  return { errors, offline, ready, rows, figures };
}

test('the HTML reports open from disk in Chromium with no errors, the expected tables and every figure drawn', { timeout: 120_000 }, async () => {
  assert.ok(existsSync(CHROMIUM), `Chromium not found at ${CHROMIUM}: the browser test needs it (apt-get install -y chromium; .ci/run installs it)`);
  const ws = await scratchWorkspace({ torus: TORUS, digits: DIGITS });
  const cwd = process.cwd();
  process.chdir(ws);
  try {
    for (const stage of ['ingest', 'train', 'probe', 'similarity', 'report']) await elasticity([stage, '--pipeline', 'torus']);
    for (const stage of ['ingest', 'train', 'probe', 'similarity', 'cluster', 'report']) await elasticity([stage, '--pipeline', 'digits']);
    await elasticity(['report', '--all']);
  } finally {
    process.chdir(cwd);
  }
  const torusReport = JSON.parse(await readFile(join(ws, 'data/torus/report/results.json'), 'utf8'));
  const all = JSON.parse(await readFile(join(ws, 'data/_all/results.json'), 'utf8'));
  const torusFigures: string[] = torusReport.figures.map((f: { id: string }) => `torus-${f.id}`);
  assert.deepEqual(torusFigures, ['torus-geodesic-scatter', 'torus-similarity-heatmap', 'torus-training-curves']);
  const digitsFigures = all.pipelines.find((p: { pipeline: string }) => p.pipeline === 'digits').figures.map((f: { id: string }) => `digits-${f.id}`);
  assert.deepEqual(digitsFigures, ['digits-similarity-heatmap', 'digits-training-curves', 'digits-clustering']);
  for (const html of [join(ws, 'data/torus/report/report.html'), join(ws, 'data/_all/report.html')]) {
    assert.doesNotMatch(await readFile(html, 'utf8'), /https?:\/\//, `${html} names no URL`);
  }

  // A fresh profile: playwright passes it to Chromium as --user-data-dir.
  const profile = await mkdtemp(join(tmpdir(), 'chromium-profile-'));
  const browser = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, headless: true, args: CHROMIUM_FLAGS, viewport: { width: 1280, height: 900 } })
    .catch((error: Error) => assert.fail(`Chromium at ${CHROMIUM} did not start: ${error.message}`));
  try {
    const page = await browser.newPage();

    const one = await openReport(page, join(ws, 'data/torus/report/report.html'), ['geodesic-table', 'provenance-table'], 'report-browser-torus.png');
    assert.deepEqual(one.errors, [], 'no console errors');
    assert.deepEqual(one.offline, [], 'nothing requested beyond the file');
    assert.equal(one.ready, 'true', 'the inline script ran');
    assert.equal(await page.title(), 'Torus <ReLU> & "friends"', 'the title is escaped, not markup');
    assert.equal(one.rows['geodesic-table'], 2, 'relative similarity and kernel distance');
    assert.equal(one.rows['provenance-table'], torusReport.metadata.files.length);
    assert.deepEqual(one.figures.map((f) => f.id), torusFigures);
    for (const f of one.figures) assert.ok(f.width > 100 && f.height > 100 && f.marks > 0, `figure ${f.id} drawn: ${JSON.stringify(f)}`);

    const cross = await openReport(page, join(ws, 'data/_all/report.html'), ['table1', 'geodesic-table', 'run-table'], 'report-browser-all.png');
    assert.deepEqual(cross.errors, []);
    assert.deepEqual(cross.offline, []);
    assert.equal(cross.ready, 'true');
    assert.equal(cross.rows.table1, 1, 'one data set and pair clustered');
    assert.equal(await page.locator('table#table1 thead th').count(), 1 + 4, 'data set + four methods');
    assert.equal(cross.rows['geodesic-table'], 2);
    assert.equal(cross.rows['run-table'], 2);
    assert.deepEqual(cross.figures.map((f) => f.id), ['geodesic-correlations', 'table1-accuracy', ...digitsFigures, ...torusFigures]);
    for (const f of cross.figures) assert.ok(f.width > 100 && f.height > 100 && f.marks > 0, `figure ${f.id} drawn: ${JSON.stringify(f)}`);
    // Headers sort the table in the page (the inline script is live).
    await page.locator('table#run-table thead th').first().click();
    await page.locator('table#run-table thead th').first().click();
    assert.equal(await page.locator('table#run-table tbody tr th').first().textContent(), 'torus');
  } finally {
    await browser.close();
    await rm(profile, { recursive: true, force: true });
  }
});
