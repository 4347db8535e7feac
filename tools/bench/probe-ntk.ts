/**
 * Benchmark of the probe and NTK paths (issue 4): MLPNet (Dense(H, relu) -> Dense(1),
 * squared loss) on the 1000 primary + 1000 auxiliary examples of the embedded
 * MNIST sample (4 vs 9 | 5, 7), weights random with PyTorch's default init
 * (uniform +-1/sqrt(fan_in), seed 0; untrained), eta fixed at 1e-6 (the first step of
 * the authors' schedule, which already moves every untrained output in float32).
 *
 *   node --import tsx tools/bench/probe-ntk.ts [--widths 4096,40960] [--generic-rows 20] [--methods generic,fast,ntk]
 *
 * --methods: a subset to run while iterating (default all three; without
 * generic no speed-up is printed and the results file is not written).
 *
 * Writes tools/bench/results/probe-ntk.json: one entry per width and method
 *   { width, method: generic|fast|ntk, seconds (for all 1000 rows), rows_measured,
 *     max_rel_err, peak_rss_mb }
 * - generic: the tfjs probe by the definition on `rows_measured` rows, seconds
 *   extrapolated to 1000 rows; max_rel_err null (float32 forward differences).
 * - fast: the exact fast probe of all 1000 rows x 1000 primary examples.
 * - ntk: the closed-form empirical NTK, 1000 x 1000.
 * max_rel_err: max over checked entries of |got - ref| / |ref| against a float64
 * reference: the probe by the definition in plain float64 (explicit gradient,
 * weight step, two full forward passes) on `rows_measured` rows x 100 columns;
 * the NTK's closed form with float64 features and float64 products on
 * `rows_measured` rows x all columns. peak_rss_mb: the peak resident memory of
 * the process that ran the method (each method runs in its own child process,
 * the reference is computed after the peak is read).
 */
import { execFileSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRng, writeFileAtomic, initBackend, primaryIndices, readDatasetFile } from '@elasticity/core';
import { tf } from '@elasticity/core/tf';
import { createProducts, FLOAT64_PRODUCTS, mlpNetFeatures, readMlpNet } from '@elasticity/mlp-engine';
import type { MlpNet } from '@elasticity/mlp-engine';
import { runIngest } from '@elasticity/datasets';
import { mlpNetNtk } from '@elasticity/ntk';
import { fastNetProbe, genericProbe, kernelizedSimilarity, referenceNetProbe } from '@elasticity/probing';

const HERE = dirname(fileURLToPath(import.meta.url));
const RESULTS = join(HERE, 'results', 'probe-ntk.json');
const ETA = 1e-6;
const ROWS = 1000;
const REF_COLUMNS = 100;

interface Entry {
  width: number;
  method: 'generic' | 'fast' | 'ntk';
  seconds: number;
  rows_measured: number;
  max_rel_err: number | null;
  peak_rss_mb: number;
}

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : fallback;
}

/** MLPNet with PyTorch's default init, seeded: a tfjs model and its float64 MlpNet. */
function buildModel(d: number, width: number): { model: tf.LayersModel; net: MlpNet } {
  const rng = createRng(0);
  const model = tf.sequential({ layers: [tf.layers.dense({ inputShape: [d], units: width, activation: 'relu' }), tf.layers.dense({ units: 1 })] });
  const uniform = (count: number, fanIn: number) => Float32Array.from({ length: count }, () => rng.uniform(-1, 1) / Math.sqrt(fanIn));
  model.setWeights([
    tf.tensor2d(uniform(d * width, d), [d, width]), tf.tensor1d(uniform(width, d)),
    tf.tensor2d(uniform(width, width), [width, 1]), tf.tensor1d(uniform(1, width)),
  ]);
  return { model, net: readMlpNet(model) };
}

async function loadPrimary(datasetFile: string): Promise<{ x: Float32Array; targets: Float32Array; d: number }> {
  const { dataset } = await readDatasetFile(datasetFile);
  const primary = primaryIndices(dataset).slice(0, ROWS);
  const d = dataset.d;
  const x = new Float32Array(primary.length * d);
  primary.forEach((row, j) => x.set(dataset.x.subarray(row * d, (row + 1) * d), j * d));
  return { x, targets: Float32Array.from(primary, (row) => dataset.target[row]), d };
}

function peakRssMb(): number {
  return Math.round(process.resourceUsage().maxRSS / 1024);
}

function maxRelative(got: ArrayLike<number>, want: ArrayLike<number>): number {
  let worst = 0;
  for (let q = 0; q < want.length; q++) worst = Math.max(worst, Math.abs(got[q] - want[q]) / Math.abs(want[q]));
  return worst;
}

/** One (width, method) measurement, in this process. */
async function measure(datasetFile: string, width: number, method: Entry['method'], refRows: number): Promise<Entry> {
  await initBackend('wasm');
  const { x, targets, d } = await loadPrimary(datasetFile);
  const n = x.length / d;
  const { model, net } = buildModel(d, width);
  const all = Array.from({ length: n }, (_, i) => i);
  const checked = Array.from({ length: refRows }, (_, r) => Math.floor((r * n) / refRows));
  const columns = Array.from({ length: REF_COLUMNS }, (_, c) => Math.floor((c * n) / REF_COLUMNS));
  if (method === 'generic') {
    const started = performance.now();
    await genericProbe(model, { x, n, targets, rows: checked }, 'mse', ETA);
    const seconds = ((performance.now() - started) / 1000 / refRows) * ROWS;
    return { width, method, seconds, rows_measured: refRows, max_rel_err: null, peak_rss_mb: peakRssMb() };
  }
  model.dispose();
  const products = createProducts({ precision: 'auto' });
  if (method === 'fast') {
    const started = performance.now();
    const { result } = await fastNetProbe(net, { x, n, targets, rows: all }, 'mse', ETA, { products });
    const seconds = (performance.now() - started) / 1000;
    const rss = peakRssMb();
    const got = kernelizedSimilarity(result);
    const ref = kernelizedSimilarity(referenceNetProbe(net, { x, n, targets, rows: checked, columns }, 'mse', ETA).result);
    const sub = Float64Array.from(checked.flatMap((i) => columns.map((j) => got[i * n + j])));
    return { width, method, seconds, rows_measured: refRows, max_rel_err: maxRelative(sub, ref), peak_rss_mb: rss };
  }
  const started = performance.now();
  const K = await mlpNetNtk(net, x, n, { products });
  const seconds = (performance.now() - started) / 1000;
  const rss = peakRssMb();
  const features = await mlpNetFeatures(net, x, n, FLOAT64_PRODUCTS, { backward: true });
  const ref = await mlpNetNtk(net, x, n, { rows: checked, products: FLOAT64_PRODUCTS, features });
  const sub = Float64Array.from(checked.flatMap((i) => Array.from(K.subarray(i * n, (i + 1) * n))));
  return { width, method, seconds, rows_measured: refRows, max_rel_err: maxRelative(sub, ref), peak_rss_mb: rss };
}

async function main(): Promise<void> {
  if (process.argv[2] === '--child') {
    const [, , , datasetFile, width, method, refRows] = process.argv;
    const entry = await measure(datasetFile, Number(width), method as Entry['method'], Number(refRows));
    process.stdout.write(`${JSON.stringify(entry)}\n`);
    return;
  }
  const widths = arg('widths', '4096,40960').split(',').map(Number);
  const genericRows = Number(arg('generic-rows', '20'));
  const methods = arg('methods', 'generic,fast,ntk').split(',') as Entry['method'][];
  for (const m of methods) if (!['generic', 'fast', 'ntk'].includes(m)) throw new Error(`--methods: unknown method "${m}" (generic, fast, ntk)`);
  const root = await mkdtemp(join(tmpdir(), 'bench-probe-ntk-'));
  try {
    const { datasetFile } = await runIngest({
      // the defaults: mnist-sample, 4 vs 9 | 5, 7, 500 per primary class, 1000 auxiliary, seed 0
      config: { source: 'mnist-sample', primary: [4, 9], auxiliary: [5, 7] },
      pipelineFile: 'bench', outDir: join(root, 'ingest'),
    });
    const entries: Entry[] = [];
    for (const width of widths) {
      for (const method of methods) {
        const out = execFileSync(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), '--child', datasetFile, String(width), method, String(genericRows)], {
          encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, ELASTICITY_LOG: 'warn' }, maxBuffer: 1 << 20,
        });
        const entry = JSON.parse(out.trim().split('\n').pop()!) as Entry;
        entries.push(entry);
        process.stderr.write(`${JSON.stringify(entry)}\n`);
      }
      const generic = entries.find((e) => e.width === width && e.method === 'generic');
      if (!generic) continue;
      for (const e of entries.filter((v) => v.width === width && v.method !== 'generic')) {
        process.stderr.write(`width ${width} ${e.method}: ${(generic.seconds / e.seconds).toFixed(0)}x faster than generic\n`);
      }
    }
    if (methods.length < 3) return;
    await writeFileAtomic(RESULTS, `${JSON.stringify(entries, null, 2)}\n`);
    process.stderr.write(`wrote ${RESULTS}\n`);
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}

await main();
