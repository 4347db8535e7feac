import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from '@elasticity/core';
import { PIPELINE_SCHEMA_FILE, SECTION_PARSERS, effectiveSections, pipelineJsonSchema, pipelineSchemaText } from './pipeline-schema.ts';
import { readPipeline } from './read-pipeline.ts';
import { SECTION_KEYS } from './stages.ts';
import { validatePipeline } from './validate.ts';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '../../..');

/** Every pipeline file under pipelines/ (any depth), the generated schema left out. */
function pipelineFiles(dir = join(ROOT, 'pipelines')): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return pipelineFiles(path);
    return e.name.endsWith('.json') && !e.name.endsWith('.schema.json') ? [path] : [];
  }).sort();
}

test('the checked-in pipelines/pipeline.schema.json is what the section schemas generate (regenerate with `elasticity schema`)', () => {
  assert.equal(readFileSync(join(ROOT, PIPELINE_SCHEMA_FILE), 'utf8'), pipelineSchemaText());
});

test('the pipeline schema has one section per stage, each from the stage package', () => {
  assert.deepEqual(SECTION_PARSERS.map((p) => p.section), SECTION_KEYS);
  const json = pipelineJsonSchema() as { properties: Record<string, { properties?: Record<string, { default?: unknown }> }>; additionalProperties: boolean };
  assert.deepEqual(Object.keys(json.properties), ['$schema', 'description', ...SECTION_KEYS, 'matrix']);
  assert.equal(json.additionalProperties, false);
  // Defaults and allowed values reach the editor.
  assert.deepEqual(json.properties.probe.properties!.kinds.default, ['relative', 'kernelized']);
  assert.deepEqual(json.properties.cluster.properties!.k, { default: 2, description: 'Number of clusters.', type: 'integer', minimum: 2, maximum: Number.MAX_SAFE_INTEGER });
});

test('every pipelines/**/*.json validates: each section with its stage parser, and against the generated JSON Schema', () => {
  const files = pipelineFiles();
  assert.ok(files.length >= 17, files.join(' '));
  const jsonSchema = z.fromJSONSchema(pipelineJsonSchema() as Parameters<typeof z.fromJSONSchema>[0]);
  for (const file of files) {
    const name = relative(ROOT, file);
    const pipeline = readPipeline(file);
    assert.doesNotThrow(() => validatePipeline(pipeline), name);
    if (!pipeline.matrix) {
      for (const parse of SECTION_PARSERS) {
        if (pipeline.stages.some((s) => s.section === parse.section)) assert.doesNotThrow(() => parse(pipeline.sections[parse.section], file), `${name} ${parse.section}`);
      }
    }
    const raw = JSON.parse(readFileSync(file, 'utf8'));
    const result = jsonSchema.safeParse(raw);
    assert.ok(result.success, `${name}: ${result.error?.message}`);
  }
});

test('the generated JSON Schema rejects what the parsers reject: unknown sections and keys, out-of-range numbers, unknown names', () => {
  const jsonSchema = z.fromJSONSchema(pipelineJsonSchema() as Parameters<typeof z.fromJSONSchema>[0]);
  const where = (value: unknown) => {
    const result = jsonSchema.safeParse(value);
    assert.ok(!result.success, JSON.stringify(value));
    return result.error.issues.map((i) => [i.code, i.path.join('.')]);
  };
  assert.deepEqual(where({ trian: {} }), [['unrecognized_keys', '']]);
  assert.deepEqual(where({ train: { epoch: 3 } }), [['unrecognized_keys', 'train']]);
  assert.deepEqual(where({ train: { epochs: 0 } }), [['too_small', 'train.epochs']]);
  assert.deepEqual(where({ dataset: { source: 'imagenet' } }), [['invalid_value', 'dataset.source']]);
  assert.deepEqual(where({ cluster: { methods: [{ input: 'raw', method: 'kmeans' }, { input: 'ntk', method: 'dbscan' }] } }), [['invalid_value', 'cluster.methods.1.method']]);
  assert.ok(jsonSchema.safeParse({ $schema: './pipeline.schema.json', description: 'x', report: {} }).success);
});

test('effective sections apply every default: the default pipeline runs with 1000 auxiliary examples (2 primary classes x 500) it does not spell out', () => {
  const pipeline = readPipeline(join(ROOT, 'pipelines/default.json'));
  const written = pipeline.sections.dataset as Record<string, unknown>;
  assert.equal(written.auxiliaryCount, undefined);
  const effective = effectiveSections(pipeline) as Record<string, Record<string, unknown>>;
  assert.equal(effective.dataset.auxiliaryCount, (written.perClass as number) * (written.primary as number[]).length);
  assert.equal(effective.dataset.testPerClass, 100);
  assert.equal(effective.probe.eta, 'authors');
  assert.deepEqual(Object.keys(effective), pipeline.stages.map((s) => s.section));
});
