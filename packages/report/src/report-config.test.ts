import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ElasticityError } from '@elasticity/core';
import { REPORT_SCHEMA, parseReportConfig } from './report-config.ts';

const F = 'pipelines/p.json';
const says = (section: unknown, message: string) =>
  assert.throws(() => parseReportConfig(section, F), (e: unknown) => e instanceof ElasticityError && e.file === F && e.message === `${F}: ${message}`, message);

test('a missing or empty report section gets every default; a title is kept', () => {
  assert.deepEqual(parseReportConfig(undefined, F), { bins: 12, components: 10, heatmapCells: 40, memoryMb: 4096 });
  assert.deepEqual(parseReportConfig({}, F), { bins: 12, components: 10, heatmapCells: 40, memoryMb: 4096 });
  assert.deepEqual(parseReportConfig({ title: 'T', heatmapCells: 2 }, F), { title: 'T', bins: 12, components: 10, heatmapCells: 2, memoryMb: 4096 });
  assert.equal(parseReportConfig.schema, REPORT_SCHEMA);
});

test('report messages: closest key, type and range at the JSON path (the section has no enum)', () => {
  says({ titel: 'x' }, 'report.titel: unknown key (did you mean "title"?); allowed: title, bins, components, heatmapCells, memoryMb');
  says({ title: 3 }, 'report.title: must be a string, got 3');
  says({ bins: '12' }, 'report.bins: must be an integer in [1, 200], got "12"');
  says({ heatmapCells: 1 }, 'report.heatmapCells: must be an integer in [2, 200], got 1');
  says({ components: 101 }, 'report.components: must be an integer in [1, 100], got 101');
});
