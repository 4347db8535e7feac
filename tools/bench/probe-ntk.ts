/**
 * Benchmark of the probe and NTK paths on trained nets: MLPNet (Dense(H, relu)
 * -> Dense(1), squared loss) trained on MNIST 5 vs 8 | 9, 3 of the embedded
 * sample (500 + 500 primary, 1000 auxiliary examples; the train stage with the
 * authors' settings: SGD lr 0.003, batch 50, seed 0), probed at its 1000
 * primary examples (1000 rows x 1000 columns), on both cores.
 *
 *   node --import tsx tools/bench/probe-ntk.ts [--widths 4096,40960] [--methods generic,authors,fixed,ntk,pytorch] [--generic-rows 20]
 *
 * The first run trains the nets (200 epochs at width 4096, 30 at 40960, the
 * issue's settings; about 4 min on a quiet 2-core machine) and keeps them,
 * with the examples and weights exported for PyTorch, in
 * data/bench-probe-ntk/ (git-ignored); later runs reuse them.
 *
 * Writes tools/bench/results/probe-ntk.json (only when every method ran):
 * { nets, entries, targets }. Each entry: width, method, eta ('authors' or
 * the fixed 1e-6; the etas the search chose as counts of 1e-6 * 3^k), net
 * (model, trained, epochs, width, training accuracy), precision, seconds
 * (the call in a fresh process, its product workers started while the
 * inputs load, as the stages do: features, search, products, everything),
 * seconds_warm (the best of two more calls in that process), rows,
 * max_rel_err (against a float64 reference), peak_rss_mb (of that process).
 * - generic: the tfjs probe by the definition (two float32 forward passes) on
 *   --generic-rows rows at eta 1e-6, seconds extrapolated to 1000 rows.
 * - authors, fixed: the exact fast probe (fastNetProbe, products 'auto').
 *   max_rel_err: per checked row, max |got - ref| / max |ref| of the
 *   kernelized similarity against the probe by the definition in float64
 *   (referenceNetProbe) on a few rows x 25 columns.
 * - ntk: the closed-form empirical NTK, 1000 x 1000; max_rel_err against the
 *   closed form with float64 features and products on the same entries.
 * - pytorch-probe, pytorch-ntk: tools/bench/pytorch/probe_ntk.py, the batched
 *   exact probe at eta 1e-6 and the closed-form NTK of the same net in float32
 *   with PyTorch on 2 threads (run when a python3 with torch is found:
 *   $BENCH_PYTHON, /usr/bin/python3 or python3); max_rel_err: its matrix
 *   against the project's, row-relative as above.
 * targets: default eta vs fixed eta at each width (goal <= 1.2), fixed-eta
 * probe and NTK vs PyTorch at 40960 (goal <= 1.5), on seconds_warm.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { initBackend, loadModelDir, primaryIndices, readDatasetFile, writeFileAtomic } from '@elasticity/core';
import { tf } from '@elasticity/core/tf';
import { rowRelativeError } from '@elasticity/core/testing';
import { createProducts, float32Kernel, FLOAT64_PRODUCTS, inspectMlpNet, mlpNetFeatures, netToModel } from '@elasticity/mlp-engine';
import type { MlpNet } from '@elasticity/mlp-engine';
import { runIngest } from '@elasticity/datasets';
import { mlpNetNtk } from '@elasticity/ntk';
import { AUTHORS_ETA_START, fastNetProbe, genericProbe, kernelizedSimilarity, referenceNetProbe } from '@elasticity/probing';
import type { EtaSetting } from '@elasticity/probing';
import { DECISION_THRESHOLD, runTrain } from '@elasticity/training';

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = join(HERE, '..', '..');
const RESULTS = join(HERE, 'results', 'probe-ntk.json');
const CACHE = join(ROOT, 'data', 'bench-probe-ntk');
const PYTORCH_SCRIPT = join(HERE, 'pytorch', 'probe_ntk.py');
const FIXED_ETA = 1e-6;
const PAIR = { primary: [5, 8], auxiliary: [9, 3] };
const EPOCHS: Record<number, number> = { 4096: 200, 40960: 30 };
const REF_COLUMNS = 100;
/** The float64 probe by the definition costs O(d width) per row and column: fewer columns for it. */
const REF_PROBE_COLUMNS = 25;
const METHODS = ['generic', 'authors', 'fixed', 'ntk', 'pytorch'] as const;
type Method = (typeof METHODS)[number];

interface NetInfo {
  model: 'MLPNet';
  trained: true;
  width: number;
  epochs: number;
  pair: string;
  lr: number;
  batch: number;
  train_accuracy: number;
}

interface Entry {
  width: number;
  method: 'generic' | 'authors' | 'fixed' | 'ntk' | 'pytorch-probe' | 'pytorch-ntk';
  eta: 'authors' | number | null;
  /** The etas the search chose: count of rows per k in 1e-6 * 3^k. */
  etas_chosen?: Record<string, number>;
  net: NetInfo;
  precision: string;
  seconds: number;
  seconds_warm: number | null;
  rows: number;
  max_rel_err: number | null;
  peak_rss_mb: number | null;
  tool?: string;
}

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : fallback;
}

function peakRssMb(): number {
  return Math.round(process.resourceUsage().maxRSS / 1024);
}

function log(message: string): void {
  process.stderr.write(`[bench probe-ntk] ${message}\n`);
}

const ingestDir = join(CACHE, 'ingest-5v8');
const datasetFile = join(ingestDir, 'dataset.arrow');
const trainDir = (width: number) => join(CACHE, `train-MLPNet-w${width}-e${EPOCHS[width]}`);
const exportDir = (width: number) => join(CACHE, `export-w${width}-e${EPOCHS[width]}`);

/** The data set and the trained net of this width: made (ingest, train stage, export for PyTorch) unless cached. */
async function prepare(width: number): Promise<NetInfo> {
  if (!existsSync(datasetFile)) {
    log('ingest: mnist-sample 5 vs 8 | 9, 3');
    await runIngest({ config: { source: 'mnist-sample', ...PAIR }, pipelineFile: 'tools/bench/probe-ntk.ts', outDir: ingestDir });
  }
  const dir = trainDir(width);
  if (!existsSync(join(dir, 'model'))) {
    const started = performance.now();
    log(`training MLPNet width ${width}, ${EPOCHS[width]} epochs (once; cached in ${dir})`);
    await runTrain({ config: { model: 'MLPNet', width, epochs: EPOCHS[width], backend: 'wasm' }, pipelineFile: 'tools/bench/probe-ntk.ts', datasetFile, outDir: dir });
    log(`trained in ${((performance.now() - started) / 1000).toFixed(0)} s`);
  }
  const { info } = await loadModelDir(join(dir, 'model'));
  const net: NetInfo = {
    model: 'MLPNet', trained: true, width, epochs: info.epochsTrained as number, pair: '5 vs 8 | 9, 3 (mnist-sample)',
    lr: info.lr as number, batch: info.batch as number, train_accuracy: await trainingAccuracy(await loadNet(width)),
  };
  const out = exportDir(width);
  if (!existsSync(join(out, 'meta.json'))) {
    const { x, targets, d, n } = await loadPrimary();
    const m = await loadNet(width);
    await mkdir(out, { recursive: true });
    const f32 = (v: ArrayLike<number>) => Buffer.from(Float32Array.from(v).buffer);
    await writeFile(join(out, 'x.bin'), f32(x));
    await writeFile(join(out, 'y.bin'), f32(targets));
    await writeFile(join(out, 'W.bin'), f32(m.layers[0].W));
    await writeFile(join(out, 'b.bin'), f32(m.layers[0].b));
    await writeFile(join(out, 'a.bin'), f32(m.a));
    await writeFile(join(out, 'c.bin'), f32([m.c]));
    await writeFileAtomic(join(out, 'meta.json'), `${JSON.stringify({ n, d, width, eta: FIXED_ETA })}\n`);
  }
  return net;
}

/** Accuracy of the net on all its training examples (primary: target 1, auxiliary: 0). */
async function trainingAccuracy(net: MlpNet): Promise<number> {
  const { dataset } = await readDatasetFile(datasetFile);
  const n = dataset.target.length;
  const { output } = await mlpNetFeatures(net, dataset.x, n, createProducts({ precision: 'auto' }), { rowMajor: false });
  let right = 0;
  for (let j = 0; j < n; j++) if (output[j] > DECISION_THRESHOLD === dataset.target[j] > DECISION_THRESHOLD) right++;
  return right / n;
}

async function loadPrimary(): Promise<{ x: Float32Array; targets: Float32Array; d: number; n: number }> {
  const { dataset } = await readDatasetFile(datasetFile);
  const primary = primaryIndices(dataset);
  const d = dataset.d;
  const x = new Float32Array(primary.length * d);
  primary.forEach((row, j) => x.set(dataset.x.subarray(row * d, (row + 1) * d), j * d));
  return { x, targets: Float32Array.from(primary, (row) => dataset.target[row]), d, n: primary.length };
}

async function loadNet(width: number): Promise<MlpNet> {
  const { model } = await loadModelDir(join(trainDir(width), 'model'));
  const inspected = inspectMlpNet(model);
  model.dispose();
  if (!('net' in inspected)) throw new Error(`the trained model is not an MLP: ${inspected.reason}`);
  return inspected.net;
}


/** Evenly spaced rows, plus the two whose search went furthest. */
function checkedRows(n: number, count: number, etas?: Float64Array): number[] {
  const rows = Array.from({ length: count }, (_, r) => Math.floor((r * n) / count));
  if (etas) rows.push(...Array.from(etas.keys()).sort((p, q) => etas[q] - etas[p]).slice(0, 2));
  return [...new Set(rows)];
}

function etaCounts(etas: Float64Array): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const e of etas) {
    const k = `1e-6*3^${Math.round(Math.log(e / AUTHORS_ETA_START) / Math.log(3))}`;
    counts[k] = (counts[k] ?? 0) + 1;
  }
  return counts;
}

/** One (width, method) measurement, in this (child) process. */
async function measure(width: number, method: Exclude<Method, 'pytorch'>, genericRows: number, net: NetInfo): Promise<Entry> {
  // as the stages do: the product workers boot while the examples and the net load
  const products = createProducts({ precision: 'auto' });
  if (method !== 'generic') products.warmUp();
  await initBackend('wasm');
  const { x, targets, n } = await loadPrimary();
  const mlp = await loadNet(width);
  const all = Array.from({ length: n }, (_, i) => i);
  const kernel = (await float32Kernel('auto', async () => tf)).name;
  const base = { width, net, rows: n, precision: `auto: float32 K-blocks of 512 (kernel: ${kernel === 'onnx' ? 'ONNX Runtime MLAS' : 'TensorFlow.js wasm'}) summed in float64, ReLU states and flips in float64` };
  if (method === 'generic') {
    const model = netToModel(mlp);
    const rows = checkedRows(n, genericRows);
    const started = performance.now();
    await genericProbe(model, { x, n, targets, rows }, 'mse', FIXED_ETA);
    const seconds = ((performance.now() - started) / 1000 / rows.length) * n;
    return { ...base, method, eta: FIXED_ETA, precision: 'float32 (tfjs wasm forward passes)', seconds, seconds_warm: null, max_rel_err: null, peak_rss_mb: peakRssMb() };
  }
  // (fewer reference rows for wider nets: the reference costs O(d width) per row and column)
  const refRows = Math.max(4, Math.round((20 * 4096) / width));
  if (method === 'ntk') {
    const run = async () => {
      const started = performance.now();
      const K = await mlpNetNtk(mlp, x, n, { products });
      return { K, seconds: (performance.now() - started) / 1000 };
    };
    const { K, seconds } = await run();
    const warm = Math.min((await run()).seconds, (await run()).seconds);
    const rss = peakRssMb();
    await writeFile(join(exportDir(width), 'ts-ntk.bin'), Buffer.from(K.buffer));
    // the float64 closed form on the checked rows x the reference columns: features of those examples only
    const rows = checkedRows(n, refRows);
    const columns = Array.from({ length: REF_COLUMNS }, (_, c) => Math.floor((c * n) / REF_COLUMNS));
    const sub = [...new Set([...rows, ...columns])];
    const at = new Map(sub.map((j, t) => [j, t]));
    const xs = new Float32Array(sub.length * mlp.d);
    sub.forEach((j, t) => xs.set(x.subarray(j * mlp.d, (j + 1) * mlp.d), t * mlp.d));
    const features = await mlpNetFeatures(mlp, xs, sub.length, FLOAT64_PRODUCTS, { backward: true });
    const ref = await mlpNetNtk(mlp, xs, sub.length, { rows: rows.map((i) => at.get(i)!), products: FLOAT64_PRODUCTS, features });
    const want = Float64Array.from(rows.flatMap((_, r) => columns.map((j) => ref[r * sub.length + at.get(j)!])));
    const got = Float64Array.from(rows.flatMap((i) => columns.map((j) => K[i * n + j])));
    return { ...base, method, eta: null, seconds, seconds_warm: warm, max_rel_err: rowRelativeError(got, want, rows.length, columns.length), peak_rss_mb: rss };
  }
  const eta: EtaSetting = method === 'authors' ? 'authors' : FIXED_ETA;
  const run = async () => {
    const started = performance.now();
    const { result } = await fastNetProbe(mlp, { x, n, targets, rows: all }, 'mse', eta, { products });
    return { result, seconds: (performance.now() - started) / 1000 };
  };
  const { result, seconds } = await run();
  const warm = Math.min((await run()).seconds, (await run()).seconds);
  const rss = peakRssMb();
  if (method === 'fixed') await writeFile(join(exportDir(width), 'ts-probe.bin'), Buffer.from(result.delta.buffer));
  const rows = checkedRows(n, refRows, result.eta);
  const columns = Array.from({ length: REF_PROBE_COLUMNS }, (_, c) => Math.floor((c * n) / REF_PROBE_COLUMNS));
  const ref = kernelizedSimilarity(referenceNetProbe(mlp, { x, n, targets, rows, columns }, 'mse', rows.map((i) => result.eta[i])).result);
  const ker = kernelizedSimilarity(result);
  const got = Float64Array.from(rows.flatMap((i) => columns.map((j) => ker[i * n + j])));
  return {
    ...base, method, eta: method === 'authors' ? 'authors' : FIXED_ETA, etas_chosen: etaCounts(result.eta),
    seconds, seconds_warm: warm, max_rel_err: rowRelativeError(got, ref, rows.length, columns.length), peak_rss_mb: rss,
  };
}

/** A python3 that imports torch, or undefined. */
function findPython(): string | undefined {
  for (const python of [process.env.BENCH_PYTHON, '/usr/bin/python3', 'python3']) {
    if (python && spawnSync(python, ['-c', 'import torch'], { stdio: 'ignore' }).status === 0) return python;
  }
  return undefined;
}

/** PyTorch's probe and NTK of the same net (float32, 2 threads), checked against the project's matrices. */
async function measurePytorch(python: string, width: number, net: NetInfo): Promise<Entry[]> {
  const dir = exportDir(width);
  const args = [PYTORCH_SCRIPT, dir, '--threads', '2'];
  const out = execFileSync(python, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  const r = JSON.parse(out.trim().split('\n').pop()!) as { torch: string; threads: number; blas: string; probe_seconds: number; probe_seconds_best: number; ntk_seconds: number; ntk_seconds_best: number };
  const n = 1000;
  const compare = async (mine: string, theirs: string): Promise<number | null> => {
    if (!existsSync(join(dir, mine))) return null;
    const ours = new Float64Array((await readFile(join(dir, mine))).buffer.slice(0));
    const pt = new Float32Array((await readFile(join(dir, theirs))).buffer.slice(0));
    return rowRelativeError(pt, ours, n, n);
  };
  const tool = `PyTorch ${r.torch} CPU, ${r.threads} threads, BLAS ${r.blas}: ${python} tools/bench/pytorch/probe_ntk.py ${dir.replace(`${ROOT}/`, '')} --threads 2`;
  const base = { width, net, rows: n, precision: 'float32 (PyTorch)', peak_rss_mb: null, tool };
  return [
    { ...base, method: 'pytorch-probe', eta: FIXED_ETA, seconds: r.probe_seconds, seconds_warm: r.probe_seconds_best, max_rel_err: await compare('ts-probe.bin', 'pytorch-probe.bin') },
    { ...base, method: 'pytorch-ntk', eta: null, seconds: r.ntk_seconds, seconds_warm: r.ntk_seconds_best, max_rel_err: await compare('ts-ntk.bin', 'pytorch-ntk.bin') },
  ];
}

async function main(): Promise<void> {
  if (process.argv[2] === '--child') {
    const [, , , width, method, genericRows, netJson] = process.argv;
    const entry = await measure(Number(width), method as Exclude<Method, 'pytorch'>, Number(genericRows), JSON.parse(netJson) as NetInfo);
    process.stdout.write(`${JSON.stringify(entry)}\n`);
    return;
  }
  const started = performance.now();
  const widths = arg('widths', '4096,40960').split(',').map(Number);
  const genericRows = Number(arg('generic-rows', '20'));
  const methods = arg('methods', METHODS.join(',')).split(',') as Method[];
  for (const m of methods) if (!METHODS.includes(m)) throw new Error(`--methods: unknown method "${m}" (${METHODS.join(', ')})`);
  for (const w of widths) if (!EPOCHS[w]) throw new Error(`--widths: ${w} is not one of ${Object.keys(EPOCHS).join(', ')}`);
  const python = methods.includes('pytorch') ? findPython() : undefined;
  if (methods.includes('pytorch') && !python) log('no python3 with torch found (apt-get install -y python3-torch libopenblas0-pthread): PyTorch rows skipped');
  const nets: NetInfo[] = [];
  const entries: Entry[] = [];
  for (const width of widths) {
    await initBackend('wasm');
    const net = await prepare(width);
    nets.push(net);
    for (const method of methods) {
      if (method === 'pytorch') {
        if (python) entries.push(...(await measurePytorch(python, width, net)));
      } else {
        const out = execFileSync(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), '--child', String(width), method, String(genericRows), JSON.stringify(net)], {
          encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, ELASTICITY_LOG: 'warn' }, maxBuffer: 1 << 20,
        });
        entries.push(JSON.parse(out.trim().split('\n').pop()!) as Entry);
      }
      for (const e of entries.filter((v) => v.width === width && (v.method === method || v.method.startsWith(`${method}-`)))) {
        log(`width ${width} ${e.method}: ${e.seconds.toFixed(2)} s (warm ${e.seconds_warm?.toFixed(2) ?? '-'}), max_rel_err ${e.max_rel_err?.toExponential(1) ?? '-'}`);
      }
    }
  }
  // (compared on the best of the repeated calls in each process: the least disturbed by other work on the machine)
  const seconds = (method: Entry['method'], width: number) => entries.find((e) => e.method === method && e.width === width)?.seconds_warm ?? undefined;
  const ratio = (a?: number, b?: number) => (a !== undefined && b !== undefined ? Number((a / b).toFixed(3)) : null);
  const targets = [
    ...widths.map((width) => ({ what: `default eta / fixed eta, probe, width ${width}`, goal: 1.2, ratio: ratio(seconds('authors', width), seconds('fixed', width)) })),
    { what: 'fixed-eta probe / PyTorch probe, width 40960', goal: 1.5, ratio: ratio(seconds('fixed', 40960), seconds('pytorch-probe', 40960)) },
    { what: 'NTK / PyTorch NTK, width 40960', goal: 1.5, ratio: ratio(seconds('ntk', 40960), seconds('pytorch-ntk', 40960)) },
  ];
  for (const t of targets) log(`${t.what}: ${t.ratio ?? '-'} (goal <= ${t.goal})`);
  log(`bench run: ${((performance.now() - started) / 1000).toFixed(0)} s`);
  if (methods.length < METHODS.length || widths.length < 2) return;
  await writeFileAtomic(RESULTS, `${JSON.stringify({ nets, entries, targets }, null, 2)}\n`);
  log(`wrote ${RESULTS}`);
}

await main();
