/**
 * Benchmark of SGD training: seconds per epoch of MLPNet at width 4096 and
 * 40960 on 2000 MNIST examples (the embedded sample, pixels scaled to
 * [-1, 1]), batch 50, on 1 and on 2 threads, per training kernel: 'onnx'
 * (ONNX Runtime's MatMul with deferred weight updates; what train.kernel
 * "auto" picks where onnxruntime-node is installed, as it is by npm ci) and
 * 'tfjs' per TensorFlow.js backend, with the effective rate
 * 6 N (d H + H) / seconds in GFLOP/s and the peak resident memory. Each configuration runs in its own child process, so
 * that peak RSS (getrusage maxrss, worker threads included) is its own.
 *
 *   node --import tsx tools/bench/training.ts              # all, writes tools/bench/results/training.json
 *   node --import tsx tools/bench/training.ts --widths 4096 --backends wasm --kernels tfjs
 *
 * seconds_per_epoch is the median over the epochs after the first (the first
 * pays JIT and allocator warm-up; the median ignores epochs slowed by other
 * processes on the machine): 16 epochs at width 4096 (1 on the cpu backend),
 * 3 at 40960. Each configuration runs --repeats times (default 3) and keeps
 * its fastest run (peak RSS: the largest of the runs; cpu: one run), because other
 * processes on a shared 2-core machine slow single runs. The cpu backend (about 0.5 GFLOP/s) runs width
 * 4096 only: one 40960 epoch there takes about five minutes. The native
 * backend (tfjs-node) is benchmarked where it loads.
 */
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createLogger, initBackend, writeFileAtomic } from '@elasticity/core';
import type { BackendChoice } from '@elasticity/core';
import { readMnistSample } from '@elasticity/datasets';
import { initPyTorchDefault, MLPNet, trainModel } from '@elasticity/training';

const here = dirname(fileURLToPath(import.meta.url));
const log = createLogger('bench');
const N = 2000;
const D = 784;
const BATCH = 50;

export interface TrainingBenchRecord {
  model: string;
  width: number;
  /** Threads: worker threads (tfjs kernel), ONNX Runtime's threads (onnx kernel). */
  workers: number;
  kernel: 'onnx' | 'tfjs';
  /** TensorFlow.js backend (the onnx kernel does not use it for the steps). */
  backend: string;
  seconds_per_epoch: number;
  gflops: number;
  peak_rss_mb: number;
}

/** The first 2000 examples of the embedded MNIST sample, x in [-1, 1], label 1 for digits 5-9. */
async function mnist2000(): Promise<{ x: Float32Array; y: Float32Array }> {
  const { all } = await readMnistSample();
  if (all.count < N) throw new Error(`the embedded MNIST sample has ${all.count} examples, the benchmark needs ${N}`);
  const x = new Float32Array(N * D);
  const y = new Float32Array(N);
  for (let i = 0; i < N; i++) {
    const pixels = all.pixels(i);
    for (let k = 0; k < D; k++) x[i * D + k] = (pixels[k] / 255 - 0.5) / 0.5;
    y[i] = all.labels[i] >= 5 ? 1 : 0;
  }
  return { x, y };
}

async function runChild(backend: BackendChoice, kernel: 'onnx' | 'tfjs', width: number, workers: number, epochs: number): Promise<void> {
  const name = await initBackend(backend);
  const { x, y } = await mnist2000();
  const model = MLPNet.build({ inputShape: [1, 28, 28], width });
  initPyTorchDefault(model, 0);
  const records = await trainModel(model, { x, d: D, y }, { loss: 'mse', lr: 3e-3, batch: BATCH, epochs, seed: 0, workers, kernel });
  model.dispose();
  const timed = (records.length > 1 ? records.slice(1) : records).map((r) => r.seconds).sort((a, b) => a - b);
  const mid = timed.length >> 1;
  const seconds = timed.length % 2 === 1 ? timed[mid] : (timed[mid - 1] + timed[mid]) / 2;
  const record: TrainingBenchRecord = {
    model: 'MLPNet', width, workers, kernel, backend: name,
    seconds_per_epoch: Number(seconds.toFixed(3)),
    gflops: Number(((6 * N * (D * width + width)) / seconds / 1e9).toFixed(2)),
    // maxRSS is in kilobytes and covers every thread of the process.
    peak_rss_mb: Math.round(process.resourceUsage().maxRSS / 1024),
  };
  process.stdout.write(`${JSON.stringify(record)}\n`);
}

/** Whether @tensorflow/tfjs-node loads (an optional dependency that cannot install everywhere; a copy whose install script did not run resolves but does not load). */
function nativeInstalled(): boolean {
  try {
    createRequire(import.meta.url)('@tensorflow/tfjs-node');
    return true;
  } catch {
    return false;
  }
}

/** Whether onnxruntime-node resolves (an optional dependency of @elasticity/mlp-engine). */
function onnxInstalled(): boolean {
  try {
    createRequire(join(here, '../../packages/mlp-engine/package.json')).resolve('onnxruntime-node');
    return true;
  } catch {
    return false;
  }
}

function option(name: string, fallback: string): string {
  const at = process.argv.indexOf(`--${name}`);
  return at >= 0 ? process.argv[at + 1] : fallback;
}

async function main(): Promise<void> {
  if (process.argv[2] === '--child') {
    const [, , , backend, kernel, width, workers, epochs] = process.argv;
    await runChild(backend as BackendChoice, kernel as 'onnx' | 'tfjs', Number(width), Number(workers), Number(epochs));
    return;
  }
  const widths = option('widths', '4096,40960').split(',').map(Number);
  const backends = option('backends', 'tensorflow,wasm,cpu').split(',') as BackendChoice[];
  const kernels = option('kernels', 'onnx,tfjs').split(',') as Array<'onnx' | 'tfjs'>;
  const repeats = Number(option('repeats', '3'));
  // the onnx kernel's steps do not use TensorFlow.js: timed once, beside the wasm backend the stage loads here
  const configs: Array<{ kernel: 'onnx' | 'tfjs'; backend: BackendChoice }> = [];
  if (kernels.includes('onnx')) {
    if (onnxInstalled()) configs.push({ kernel: 'onnx', backend: 'wasm' });
    else log.info('onnxruntime-node is not installed here: the onnx kernel is skipped');
  }
  if (kernels.includes('tfjs')) {
    for (const backend of backends) {
      if (backend === 'tensorflow' && !nativeInstalled()) log.info('native backend (@tensorflow/tfjs-node) is not installed here: skipped');
      else configs.push({ kernel: 'tfjs', backend });
    }
  }
  const results: TrainingBenchRecord[] = [];
  for (const { kernel, backend } of configs) {
    for (const width of widths) {
      if (backend === 'cpu' && width > 4096) {
        log.info(`skipping cpu at width ${width} (one epoch takes about five minutes there)`);
        continue;
      }
      for (const workers of [1, 2]) {
        const epochs = backend === 'cpu' ? 1 : width > 4096 ? 3 : 16;
        let record: TrainingBenchRecord | undefined;
        const runs = backend === 'cpu' ? 1 : repeats; // a cpu epoch is long enough to average out interference
        for (let r = 0; r < runs; r++) {
          const out = execFileSync(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), '--child', backend, kernel, String(width), String(workers), String(epochs)], {
            encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 1 << 20,
          });
          const run = JSON.parse(out.trim().split('\n').pop()!) as TrainingBenchRecord;
          log.info(`  run ${r + 1}/${runs}: ${run.seconds_per_epoch} s/epoch`);
          const peak = Math.max(run.peak_rss_mb, record?.peak_rss_mb ?? 0);
          if (!record || run.seconds_per_epoch < record.seconds_per_epoch) record = run;
          record.peak_rss_mb = peak;
        }
        if (!record) throw new Error('--repeats must be at least 1');
        log.info(`${kernel} kernel, ${record.backend} backend, width ${width}, ${workers} thread(s): ${record.seconds_per_epoch} s/epoch, ${record.gflops} GFLOP/s, peak RSS ${record.peak_rss_mb} MB`);
        results.push(record);
      }
    }
  }
  const file = join(here, 'results', 'training.json');
  await writeFileAtomic(file, `${JSON.stringify(results, null, 2)}\n`);
  log.info(`wrote ${file}`);
}

await main();
