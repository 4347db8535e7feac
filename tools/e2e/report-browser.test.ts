/**
 * The HTML reports in a real browser: Debian's Chromium driven by
 * playwright-core opens report.html from a file:// URL with the network
 * blocked, and checks that the page runs without console errors, shows the
 * tables with the expected rows, renders every figure and every panel in it
 * (a heatmap per similarity matrix, a panel per clustering score with its
 * chance line), and folds the provenance hashes under the run's facts. A
 * screenshot of each page is kept under test-output/ (git-ignored).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import type { Page } from 'playwright-core';
import { withTempDir } from '@elasticity/core/testing';
import { main } from '../../packages/cli/src/main.ts';
import { REPO, scratchWorkspace } from './workspace.ts';

export const CHROMIUM = '/usr/bin/chromium';
export const CHROMIUM_FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'];

const TORUS = {
  dataset: { source: 'synthetic', synthetic: { shape: 'torus', points: 30 }, seed: 1 },
  train: { model: 'MLPNet', width: 64, loss: 'mse', lr: 0.001, batch: 60, epochs: 30, seed: 1 },
  probe: { kinds: ['relative', 'kernelized'], eta: 'authors' },
  similarity: { use: ['relative', 'kernelized'], baselines: [], neighbours: { k: 3 } },
  report: { title: 'Torus <ReLU> & "friends"' },
};
const DIGITS = {
  dataset: { source: 'mnist-sample', primary: [4, 9], auxiliary: [5, 7], perClass: 12, testPerClass: 4, seed: 0 },
  train: { model: 'MLPNet', width: 16, epochs: 3, batch: 12, lr: 0.003, seed: 0 },
  probe: { kinds: ['relative', 'kernelized'], eta: 'authors' },
  similarity: { use: ['relative', 'kernelized'], baselines: ['raw', 'pca'], pcaComponents: 4, neighbours: { k: 3 } },
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
  figures: { id: string; width: number; height: number; marks: number; groups: Record<string, number>; texts: string[] }[];
  /** The page's visible text. */
  text: string;
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
    // Mark groups by type (one group per layer and panel) and the figure's text.
    const groups: Record<string, number> = {};
    svg?.querySelectorAll('g.role-mark').forEach((g: { classList: ArrayLike<string>; children: { length: number } }) => {
      const type = Array.from(g.classList).find((c) => c.startsWith('mark-'))!.slice('mark-'.length);
      if (g.children.length > 0) groups[type] = (groups[type] ?? 0) + 1;
    });
    const texts = svg ? Array.from(svg.querySelectorAll('text'), (t: { textContent: string | null }) => t.textContent ?? '') : [];
    return { id: f.getAttribute('data-figure') ?? '', width: box?.width ?? 0, height: box?.height ?? 0, marks: svg ? svg.querySelectorAll('g.role-mark > *').length : 0, groups, texts };
  }));
  const text = await page.evaluate<string>('document.body.innerText');
  await mkdir(join(REPO, 'test-output'), { recursive: true });
  await page.screenshot({ path: join(REPO, 'test-output', screenshot), fullPage: true });
  await page.unroute('**/*');
  return { errors, offline, ready, rows, figures, text };
}

test('the HTML reports open from disk in Chromium with no errors, the expected tables and every figure drawn', { timeout: 120_000 }, async (t) => {
  assert.ok(existsSync(CHROMIUM), `Chromium not found at ${CHROMIUM}: the browser test needs it (apt-get install -y chromium; .ci/run installs it)`);
  const ws = await scratchWorkspace(t, { torus: TORUS, digits: DIGITS });
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
  assert.deepEqual(torusFigures, ['torus-geodesic-scatter', 'torus-similarity-heatmaps', 'torus-training-curves']);
  const digitsFigures = all.pipelines.find((p: { pipeline: string }) => p.pipeline === 'digits').figures.map((f: { id: string }) => `digits-${f.id}`);
  assert.deepEqual(digitsFigures, ['digits-similarity-heatmaps', 'digits-training-curves', 'digits-clustering']);
  for (const html of [join(ws, 'data/torus/report/report.html'), join(ws, 'data/_all/report.html')]) {
    assert.doesNotMatch(await readFile(html, 'utf8'), /https?:\/\//, `${html} names no URL`);
  }

  // A fresh profile: playwright passes it to Chromium as --user-data-dir.
  await withTempDir('chromium-profile-', async (profile) => {
    const browser = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, headless: true, args: CHROMIUM_FLAGS, viewport: { width: 1280, height: 900 } })
      .catch((error: Error) => assert.fail(`Chromium at ${CHROMIUM} did not start: ${error.message}`));
    try {
      const page = await browser.newPage();

      const one = await openReport(page, join(ws, 'data/torus/report/report.html'), ['geodesic-table', 'provenance-facts', 'provenance-table'], 'report-browser-torus.png');
      assert.deepEqual(one.errors, [], 'no console errors');
      assert.deepEqual(one.offline, [], 'nothing requested beyond the file');
      assert.equal(one.ready, 'true', 'the inline script ran');
      assert.equal(await page.title(), 'Torus <ReLU> & "friends"', 'the title is escaped, not markup');
      assert.equal(one.rows['geodesic-table'], 2, 'relative similarity and kernel distance');
      assert.equal(one.rows['provenance-table'], torusReport.metadata.files.length);
      assert.deepEqual(one.figures.map((f) => f.id), torusFigures);
      for (const f of one.figures) assert.ok(f.width > 100 && f.height > 100 && f.marks > 0, `figure ${f.id} drawn: ${JSON.stringify({ ...f, texts: undefined })}`);
      const torusHeat = one.figures.find((f) => f.id === 'torus-similarity-heatmaps')!;
      assert.equal(torusHeat.groups.rect, 2, 'a heatmap for each of relative and kernelized');
      for (const kind of ['relative', 'kernelized']) assert.ok(torusHeat.texts.includes(kind), `panel ${kind} titled`);
      // The facts first and shown; the per-file tables folded until their summary is clicked.
      assert.ok(one.rows['provenance-facts'] >= 5, 'code, Node.js, libraries, backend, machine, seeds, files');
      assert.match(one.text, /code\s+git commit [0-9a-f]{40} of \d{4}-\d\d-\d\dT/);
      assert.match(one.text, /libraries\s+.*apache-arrow \d+\.\d+\.\d+/);
      assert.equal(await page.locator('table#provenance-table').isVisible(), false, 'hash table folded');
      await page.locator('details summary').first().click();
      assert.equal(await page.locator('table#provenance-table').isVisible(), true, 'and shown on click');
      assert.doesNotMatch(one.text, /\(s\)/, 'proper plurals, no "seed(s)"');
      // Elastic neighbours of synthetic points: a scatter per shown example (2 of the one primary class), for each probe matrix.
      for (const kind of ['relative', 'kernelized']) {
        const scatters = page.locator(`#neighbours-${kind} svg.neighbour-points`);
        assert.equal(await scatters.count(), 2, `${kind}: two examples drawn`);
        const box = await scatters.first().boundingBox();
        assert.ok(box && box.width >= 100 && box.height >= 100, `${kind}: scatter laid out: ${JSON.stringify(box)}`);
        assert.equal(await scatters.first().locator('circle').count(), 30 + 1 + 3 + 3, 'every point, the example, 3 most and 3 least moved');
      }
      assert.match(one.text, /relative similarity, k = 3, 30 probed examples: \d+\.\d% of the most moved neighbours share the example's class/);

      const digits = await openReport(page, join(ws, 'data/digits/report/report.html'), ['results-table', 'provenance-facts'], 'report-browser-digits.png');
      assert.deepEqual(digits.errors, []);
      assert.deepEqual(digits.offline, []);
      assert.equal(digits.rows['results-table'], 4);
      for (const f of digits.figures) assert.ok(f.width > 100 && f.height > 100 && f.marks > 0, `figure ${f.id} drawn: ${JSON.stringify({ ...f, texts: undefined })}`);
      const digitsReport = JSON.parse(await readFile(join(ws, 'data/digits/report/results.json'), 'utf8'));
      const chance = digitsReport.clustering.chance;
      assert.deepEqual(chance.classSizes, [12, 12], 'perClass 12 of digits 4 and 9');
      assert.ok(chance.accuracy > 0.5 && chance.accuracy < 0.7, `chance of matched accuracy on 12 + 12: ${chance.accuracy}`);
      const clustering = digits.figures.find((f) => f.id === 'digits-clustering')!;
      assert.equal(clustering.groups.symbol, 3, 'accuracy, ARI and NMI each in a panel of its own');
      assert.ok(clustering.texts.includes(`chance ${chance.accuracy.toFixed(3)}`) && clustering.texts.includes('chance 0.000'), 'chance lines for accuracy and ARI');
      for (const axis of ['accuracy', 'ARI', 'NMI']) assert.ok(clustering.texts.includes(axis), `axis ${axis}`);
      const digitsHeat = digits.figures.find((f) => f.id === 'digits-similarity-heatmaps')!;
      assert.equal(digitsHeat.groups.rect, 2, 'relative and kernelized');
      assert.equal(digitsHeat.groups.rule, 4, 'a vertical and a horizontal class edge in each');
      assert.match(digits.text, /pca and raw are feature files .*not drawn/);
      assert.match(digits.text, /mean ± sd over 2 seeds/);
      assert.match(digits.text, /chance: accuracy 0\.\d{4} \(a random labelling into 2 clusters/);
      assert.doesNotMatch(digits.text, /\(s\)/);
      // Elastic neighbours of digits: 2 examples per class, each with its 3 most and 3 least moved, drawn as 28 x 28 images.
      for (const kind of ['relative', 'kernelized']) {
        const images = await page.$$eval(`#neighbours-${kind} img`, (nodes) => nodes.map((n) => {
          const img = n as unknown as { complete: boolean; naturalWidth: number; naturalHeight: number; src: string };
          return { complete: img.complete, width: img.naturalWidth, height: img.naturalHeight, inline: img.src.startsWith('data:image/png;base64,') };
        }));
        assert.equal(images.length, 4 * (1 + 3 + 3), `${kind}: 4 examples and their neighbours`);
        for (const img of images) assert.deepEqual(img, { complete: true, width: 28, height: 28, inline: true }, `${kind}: each image decoded`);
      }
      assert.deepEqual(digitsReport.neighbours.map((n: { kind: string; k: number; probed: number }) => [n.kind, n.k, n.probed]), [['relative', 3, 24], ['kernelized', 3, 24]]);
      assert.match(digits.text, /kernelized similarity, k = 3, 24 probed examples: \d+\.\d% of the most moved neighbours share the example's class, \d+\.\d% of the least moved/);

      const cross = await openReport(page, join(ws, 'data/_all/report.html'), ['table1', 'geodesic-table', 'run-table'], 'report-browser-all.png');
      assert.deepEqual(cross.errors, []);
      assert.deepEqual(cross.offline, []);
      assert.equal(cross.ready, 'true');
      assert.equal(cross.rows.table1, 1, 'one data set and pair clustered');
      assert.equal(await page.locator('table#table1 thead th').count(), 1 + 4, 'data set + four methods');
      assert.equal(cross.rows['geodesic-table'], 2);
      assert.equal(cross.rows['run-table'], 2);
      assert.deepEqual(cross.figures.map((f) => f.id), ['geodesic-correlations', 'table1-accuracy', ...digitsFigures, ...torusFigures]);
      for (const f of cross.figures) assert.ok(f.width > 100 && f.height > 100 && f.marks > 0, `figure ${f.id} drawn: ${JSON.stringify({ ...f, texts: undefined })}`);
      assert.doesNotMatch(cross.text, /\(s\)/);
      // Headers sort the table in the page (the inline script is live).
      await page.locator('table#run-table thead th').first().click();
      await page.locator('table#run-table thead th').first().click();
      assert.equal(await page.locator('table#run-table tbody tr th').first().textContent(), 'torus');
    } finally {
      await browser.close();
    }
  });
});
