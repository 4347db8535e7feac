/**
 * Benchmark of one pair of the paper's Table 1 at the paper's scale, every
 * stage from a clean data folder: pipelines/bench/paper-pair.json (MNIST
 * 5 vs 8 | 9, 3 from the embedded sample, MLPNet width 40960, 200 epochs,
 * the authors' settings and eta). Each stage runs as the pipeline runs it
 * (`elasticity STAGE --pipeline FILE`, its own process) under GNU time, which
 * gives its wall time and peak resident memory (worker threads included).
 *
 *   node --import tsx tools/bench/paper-pair.ts              # writes tools/bench/results/paper-pair.json
 *   node --import tsx tools/bench/paper-pair.ts --epochs 2   # a shortened run (recorded as such) to check the script
 *
 * The JSON is rewritten after every stage (`complete: false` until the last
 * one), so an interrupted run still leaves what it measured. A shortened run
 * writes tools/bench/results/paper-pair-epochs-N.json, never paper-pair.json.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { writeFileAtomic } from '@elasticity/core';
import { readPipeline, stageDir, DEFAULT_DATA_ROOT } from '@elasticity/pipeline';
import { ROOT, measuredOn, runTimedStage } from './timed-stage.ts';
import type { StageRecord } from './timed-stage.ts';

const PIPELINE = join(ROOT, 'pipelines/bench/paper-pair.json');

function argValue(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

/** The pipeline file to run: the tracked one, or a copy with train.epochs replaced (in a temp folder main() removes). */
function pipelineFile(epochs: number | undefined): string {
  if (epochs === undefined) return PIPELINE;
  const json = JSON.parse(readFileSync(PIPELINE, 'utf8')) as { train: Record<string, unknown>; $schema?: string };
  json.train.epochs = epochs;
  delete json.$schema;
  const file = join(mkdtempSync(join(tmpdir(), 'paper-pair-')), `paper-pair-epochs-${epochs}.json`);
  writeFileSync(file, JSON.stringify(json, null, 2));
  return file;
}

async function main(): Promise<void> {
  const epochsArg = argValue('--epochs');
  const epochs = epochsArg === undefined ? undefined : Number(epochsArg);
  if (epochs !== undefined && !(Number.isInteger(epochs) && epochs > 0)) throw new Error('--epochs takes a positive integer');
  const file = pipelineFile(epochs);
  try {
    const pipeline = readPipeline(file);
    const out = join(ROOT, 'tools/bench/results', epochs === undefined ? 'paper-pair.json' : `paper-pair-epochs-${epochs}.json`);
    rmSync(join(ROOT, DEFAULT_DATA_ROOT, pipeline.name), { recursive: true, force: true });

    const stages: StageRecord[] = [];
    let backend = 'unknown';
    const started = performance.now();
    const write = async (complete: boolean): Promise<void> => {
      const total = stages.reduce((s, r) => s + r.seconds, 0);
      await writeFileAtomic(out, `${JSON.stringify({
        benchmark: 'paper-pair',
        command: `node --import tsx tools/bench/paper-pair.ts${epochs === undefined ? '' : ` --epochs ${epochs}`}`,
        configuration: epochs === undefined
          ? 'the paper\'s: pipelines/bench/paper-pair.json (MNIST 5 vs 8 | 9, 3, embedded sample, MLPNet width 40960, 200 epochs, preset paper-mnist, eta "authors")'
          : `shortened: pipelines/bench/paper-pair.json with train.epochs = ${epochs} (not the paper's 200)`,
        complete,
        stages,
        total_seconds: Number(total.toFixed(1)),
        wall_seconds: Number(((performance.now() - started) / 1000).toFixed(1)),
        peak_rss_mb: Math.max(0, ...stages.map((s) => s.peak_rss_mb)),
        backend,
        ...measuredOn(),
      }, null, 2)}\n`);
    };
    for (const spec of pipeline.stages) {
      process.stderr.write(`\n=== ${spec.name} ===\n`);
      const { log, ...record } = runTimedStage(spec.name, file);
      const named = /TensorFlow\.js backend: (\w+)/.exec(log);
      if (named) backend = named[1];
      stages.push({ ...record, seconds: Number(record.seconds.toFixed(1)) });
      await write(false);
      process.stderr.write(`=== ${spec.name}: ${record.seconds.toFixed(1)} s, peak RSS ${record.peak_rss_mb} MB ===\n`);
    }
    await write(true);
    const results = join(stageDir(DEFAULT_DATA_ROOT, pipeline.name, 'report'), 'results.json');
    process.stdout.write(`\n${readFileSync(out, 'utf8')}\nresults: ${results}\n`);
  } finally {
    if (file !== PIPELINE) rmSync(dirname(file), { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`error: ${(error as Error).message}\n`);
  process.exitCode = 1;
});
