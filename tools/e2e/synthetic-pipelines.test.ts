import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseIngestConfig, SYNTHETIC_SHAPES } from '@elasticity/datasets';
import { parseTrainConfig } from '@elasticity/training';
import { parseProbeConfig } from '@elasticity/probing';
import { parseSimilarityConfig } from '@elasticity/similarity';
import { parseReportConfig } from '@elasticity/report';
import { readPipeline } from '@elasticity/pipeline';
import { REPO } from './workspace.ts';

const FILES = readdirSync(join(REPO, 'pipelines')).filter((f) => /^synthetic-.*\.json$/.test(f)).sort();
const read = (name: string) => readPipeline(join(REPO, 'pipelines', name));

test('every synthetic pipeline is valid in every section and has no clustering', () => {
  assert.ok(FILES.length >= 12, FILES.join(' '));
  for (const name of FILES) {
    const p = read(name);
    assert.deepEqual(p.stages.map((s) => s.name), ['ingest', 'train', 'probe', 'similarity', 'report'], name);
    const ingest = parseIngestConfig(p.sections.dataset, p.file);
    assert.equal(ingest.source, 'synthetic', name);
    parseTrainConfig(p.sections.train, p.file);
    parseProbeConfig(p.sections.probe, p.file);
    assert.deepEqual(parseSimilarityConfig(p.sections.similarity, p.file).use, ['relative', 'kernelized'], name);
    parseReportConfig(p.sections.report, p.file);
  }
});

test('each data set has a ReLU pipeline and its linear counterpart that differ only in the model', () => {
  const models: Record<string, [string, string]> = { 'folded-boxes': ['MLPNet3Layer', 'MLPLinear3Layer'] };
  for (const shape of SYNTHETIC_SHAPES) {
    for (const suffix of ['', '-paper']) {
      if (suffix && shape !== 'torus' && shape !== 'folded-boxes') continue;
      const relu = read(`synthetic-${shape}-relu${suffix}.json`).sections;
      const linear = read(`synthetic-${shape}-linear${suffix}.json`).sections;
      const [reluModel, linearModel] = models[shape] ?? ['MLPNet', 'MLPLinear'];
      assert.equal((relu.train as { model: string }).model, reluModel);
      assert.equal((linear.train as { model: string }).model, linearModel);
      assert.deepEqual({ ...(relu.train as object), model: null }, { ...(linear.train as object), model: null }, shape + suffix);
      for (const section of ['dataset', 'probe', 'similarity']) assert.deepEqual(relu[section], linear[section], `${shape}${suffix} ${section}`);
      assert.equal((relu.dataset as { synthetic: { shape: string } }).synthetic.shape, shape);
    }
  }
});

test('the paper-scale pipelines use the paper\'s settings: width 40960 (2-layer) / 8192 (3-layer), full batch, 20,000 epochs, lr 1e-5', () => {
  for (const name of FILES.filter((f) => f.endsWith('-paper.json'))) {
    const p = read(name);
    const train = parseTrainConfig(p.sections.train, p.file);
    const points = parseIngestConfig(p.sections.dataset, p.file) as { synthetic: { points: number } };
    assert.equal(train.width, name.includes('folded-boxes') ? 8192 : 40960, name);
    assert.equal(train.epochs, 20000);
    assert.equal(train.lr, 1e-5);
    assert.equal(train.batch, 2 * points.synthetic.points, 'one batch of all points');
  }
});
