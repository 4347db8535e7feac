export { parseProbeConfig } from './probe-config.ts';
export type { ProbeConfig, ProbeKind, ProbeMethod, ProbeFrom, ProbeSet } from './probe-config.ts';
export { runProbe, mergeProbeShards } from './probe-stage.ts';

export type { ProbeExamples, ProbeResult, ProbeMode } from './probe-result.ts';
export type { ProbeLoss } from './probe-loss.ts';
export { AUTHORS_ETA_START, AUTHORS_ETA_FACTOR, AUTHORS_ETA_LIMIT } from './eta.ts';
export type { EtaSetting } from './eta.ts';
export { fastNetProbe, fastMlpProbe } from './fast-mlp-probe.ts';
export type { FastProbeOptions } from './fast-mlp-probe.ts';
export { genericProbe } from './generic-probe.ts';
export type { GenericProbeOptions } from './generic-probe.ts';
export { referenceNetProbe, referenceMlpProbe } from './reference-probe.ts';
export { relativeSimilarity, kernelizedSimilarity } from './probe-result.ts';
