import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ElasticityError } from '@elasticity/core';
import type { ExampleMatrix } from '@elasticity/core';
import { analyzeGeodesics } from './geodesic-analysis.ts';

/** Points on a circle at angles t: geodesic = circular angle difference. */
function circle(t: number[]) {
  const n = t.length;
  const ids = Int32Array.from(t, (_, i) => 10 + 2 * i);
  const geo = new Float64Array(n * n);
  const cosine = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      const d = Math.abs(t[i] - t[j]);
      geo[i * n + j] = Math.min(d, 2 * Math.PI - d);
      cosine[i * n + j] = Math.cos(t[i] - t[j]);
    }
  }
  const m = (kind: string, values: Float64Array): ExampleMatrix => ({ kind, rowIds: ids, columnIds: ids, values });
  return { n, geodesic: m('geodesic', geo), m, cosine };
}

test('a similarity that falls with geodesic distance: Spearman -1, pairs counted once, bins fall', () => {
  const t = Array.from({ length: 30 }, (_, i) => -3 + 0.2 * i);
  const { n, geodesic, m } = circle(t);
  const relative = m('relative', geodesic.values.map((g) => Math.exp(-g)));
  const [a] = analyzeGeodesics([{ matrix: relative, file: 'relative.arrow' }], geodesic, { bins: 5 });
  assert.equal(a.measure, 'relative similarity');
  assert.equal(a.pairs, (n * (n - 1)) / 2);
  assert.ok(Math.abs(a.spearman + 1) < 1e-12, String(a.spearman));
  assert.ok(a.pearson < -0.9 && a.pearson > -1);
  assert.equal(a.bins.reduce((s, b) => s + b.count, 0), a.pairs);
  const means = a.bins.map((b) => b.mean);
  assert.ok(means.every((v, i) => i === 0 || v < means[i - 1]), 'binned means fall');
  assert.equal(a.scatter.length, a.pairs);
});

test('kernel distance of the cosine kernel on a circle is the chord length, rising with geodesic distance', () => {
  // cos(ti - tj) = <(cos ti, sin ti), (cos tj, sin tj)>: a rank-2 kernel whose embedding is the unit circle.
  const t = Array.from({ length: 20 }, (_, i) => -3 + 0.28 * i + 0.002 * i * i); // within one turn, no two pairs at the same distance
  const { geodesic, m, cosine } = circle(t);
  const results = analyzeGeodesics([{ matrix: m('kernelized', cosine), file: 'k.arrow' }], geodesic, { maxScatter: 50 });
  assert.equal(results.length, 1);
  const k = results[0];
  assert.equal(k.measure, 'kernel distance');
  assert.equal(k.source, 'kernelized');
  // chord = 2 sin(geodesic / 2): an increasing function of geodesic distance on [0, pi].
  assert.ok(Math.abs(k.spearman - 1) < 1e-9, String(k.spearman));
  for (const p of k.scatter) assert.ok(Math.abs(p.value - 2 * Math.sin(p.geodesic / 2)) < 1e-9);
  assert.ok(k.scatter.length <= 50 && k.scatter.length >= 40, 'the scatter is an even subsample');
});

test('a matrix over other points than geodesic.arrow is an error naming its file', () => {
  const { geodesic, m } = circle([0, 1, 2]);
  const other = { ...m('relative', geodesic.values), rowIds: Int32Array.from([10, 14, 12]) };
  assert.throws(() => analyzeGeodesics([{ matrix: other, file: 'sim/relative.arrow' }], geodesic),
    (e: unknown) => e instanceof ElasticityError && e.field === 'id' && e.message.includes('sim/relative.arrow'));
});
