import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { checkpointEpoch, ElasticityError } from '@elasticity/core';
import type { IngestConfig } from '@elasticity/datasets';
import type { ProbeConfig } from '@elasticity/probing';
import type { TrainConfig } from '@elasticity/training';
import type { NtkConfig } from '@elasticity/ntk';
import { parseSimilarityName } from '@elasticity/similarity';
import type { SimilarityConfig } from '@elasticity/similarity';
import type { ClusterConfig } from '@elasticity/clustering';
import { checkDataCounts } from './data-counts.ts';

/** The parsed sections of one pipeline (effectiveSections): present stages only. */
export interface ParsedSections {
  dataset: IngestConfig;
  train?: TrainConfig;
  probe?: ProbeConfig;
  ntk?: NtkConfig;
  similarity: SimilarityConfig;
  cluster?: ClusterConfig;
}

/** Number of primary examples the dataset section selects. */
export function primaryCount(dataset: IngestConfig): { n: number; how: string } {
  if (dataset.source === 'synthetic') return { n: dataset.synthetic.points, how: `dataset.synthetic.points ${dataset.synthetic.points}` };
  return { n: dataset.primary.length * dataset.perClass, how: `${dataset.primary.length} primary classes x dataset.perClass ${dataset.perClass}` };
}

/**
 * Stages that read a model need a `train` section: without one they would
 * take whatever model lies in data/NAME/train from an earlier run.
 */
function checkModelNeeds(s: ParsedSections, file: string): void {
  if (s.train !== undefined) return;
  for (const stage of ['probe', 'ntk'] as const) {
    if (s[stage] !== undefined) {
      throw new ElasticityError(`the ${stage} stage reads a trained model, but the pipeline has no "train" section: add one (or remove "${stage}")`, { file, field: stage });
    }
  }
  const index = s.similarity.use.indexOf('activation-cosine');
  if (index >= 0) {
    throw new ElasticityError('"activation-cosine" reads a trained model, but the pipeline has no "train" section: add one (or remove it from similarity.use)', { file, field: `similarity.use[${index}]` });
  }
}

/** A probe or NTK of the weights after epoch K ("epoch-K") needs the train section to save that checkpoint. */
function checkCheckpoints(s: ParsedSections, file: string): void {
  if (!s.train) return;
  const { checkpoints, checkpointEvery, epochs } = s.train;
  for (const stage of ['probe', 'ntk'] as const) {
    const from = s[stage]?.from;
    const epoch = from === undefined ? undefined : checkpointEpoch(from);
    if (epoch === undefined) continue;
    if (epoch > epochs) throw new ElasticityError(`"${from}" is after the last epoch of training (train.epochs ${epochs})`, { file, field: `${stage}.from` });
    const saved = checkpoints.includes(epoch) || (epoch > 0 && checkpointEvery > 0 && epoch % checkpointEvery === 0);
    if (!saved) {
      throw new ElasticityError(`"${from}" reads the checkpoint after epoch ${epoch}, which the train section does not save: add ${epoch} to train.checkpoints (now ${JSON.stringify(checkpoints)})`, { file, field: `${stage}.from` });
    }
  }
}

/** A matrix of the probe stage (relative.arrow, kernelized.arrow) that `name` at `field` reads must be written over the primary examples. */
function checkProbeSource(s: ParsedSections, name: string, source: 'relative' | 'kernelized', file: string, field: string): void {
  if (!s.probe) throw new ElasticityError(`"${name}" is built from the probe stage's ${source}.arrow, but the pipeline has no "probe" section`, { file, field });
  if (!s.probe.kinds.includes(source)) {
    throw new ElasticityError(`"${name}" is built from the probe stage's ${source}.arrow, but probe.kinds is ${JSON.stringify(s.probe.kinds)}: add "${source}"`, { file, field });
  }
  if (s.probe.probed !== 'primary' || s.probe.measured !== 'primary') {
    throw new ElasticityError(`"${name}" needs probes over the primary examples (probe.probed and probe.measured "primary"), got ${s.probe.probed} x ${s.probe.measured}`, { file, field });
  }
}

/** Elastic neighbours rank probe matrices of this pipeline; k at most the n - 1 other primary examples. */
function checkNeighbours(s: ParsedSections, file: string): void {
  const { k, of } = s.similarity.neighbours;
  if (k === 0) return;
  of.forEach((source, index) => checkProbeSource(s, source, source, file, `similarity.neighbours.of[${index}]`));
  const { n, how } = primaryCount(s.dataset);
  if (k > n - 1) {
    throw new ElasticityError(`k = ${k} but each of the ${n} primary examples (${how}) has only ${n - 1} others`, { file, field: 'similarity.neighbours.k' });
  }
}

/** Each matrix in similarity.use must be written by a stage of this pipeline, over the primary examples. */
function checkSimilaritySources(s: ParsedSections, file: string): void {
  s.similarity.use.forEach((name, index) => {
    const field = `similarity.use[${index}]`;
    const { source } = parseSimilarityName(name);
    if (source === 'relative' || source === 'kernelized') {
      checkProbeSource(s, name, source, file, field);
    } else if (source === 'ntk' || source === 'ntk-infinite') {
      const kind = source === 'ntk' ? 'empirical' : 'infinite';
      if (!s.ntk) throw new ElasticityError(`"${name}" is built from the ntk stage's output, but the pipeline has no "ntk" section`, { file, field });
      if (!s.ntk.kind.includes(kind)) throw new ElasticityError(`"${name}" needs ntk.kind "${kind}", but ntk.kind is ${JSON.stringify(s.ntk.kind)}`, { file, field });
      if (s.ntk.mode === 'diagonal') throw new ElasticityError(`"${name}" needs the whole kernel, but ntk.mode "diagonal" writes only its diagonal: use mode "full" or leave "${name}" out`, { file, field });
    }
  });
  for (const [name, path] of Object.entries(s.similarity.features)) {
    const resolved = resolve(dirname(file), path);
    if (!existsSync(resolved)) {
      throw new ElasticityError(`feature file ${resolved} not found (relative paths start at the pipeline file's folder)`, { file, field: `similarity.features.${name}` });
    }
  }
}

/** Each clustering input must be a file the similarity section writes; k at most the number of primary examples. */
function checkClusterInputs(s: ParsedSections, file: string): void {
  if (!s.cluster) return;
  const written = [...s.similarity.use, ...s.similarity.baselines, ...Object.keys(s.similarity.features)];
  s.cluster.methods.forEach((job, i) => {
    if (!written.includes(job.input)) {
      throw new ElasticityError(
        `"${job.input}" is not written by the similarity section (it writes ${written.join(', ') || 'nothing'}): add it to similarity.use, similarity.baselines or similarity.features`,
        { file, field: `cluster.methods[${i}].input` },
      );
    }
  });
  const { n, how } = primaryCount(s.dataset);
  if (s.cluster.k > n) throw new ElasticityError(`k = ${s.cluster.k} but the data set has only ${n} primary examples (${how})`, { file, field: 'cluster.k' });
}

/**
 * The rules between sections and against the data, checked before any
 * stage runs (each stage checks them again when it runs): what each stage
 * reads must be written by an earlier one, and the counts must fit the data.
 */
export function checkAcrossSections(s: ParsedSections, file: string): void {
  if (s.dataset.source !== 'synthetic') checkDataCounts(s.dataset, file);
  checkModelNeeds(s, file);
  checkCheckpoints(s, file);
  checkSimilaritySources(s, file);
  checkNeighbours(s, file);
  checkClusterInputs(s, file);
}
