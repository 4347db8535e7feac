import { ElasticityError, assertKnownKeys } from '@elasticity/core';
import { IMAGE_SOURCES, describeClasses, resolveClass } from './classes.ts';
import type { ImageSourceName } from './classes.ts';
import { SYNTHETIC_SHAPES } from './synthetic/shapes.ts';
import type { SyntheticShape } from './synthetic/shapes.ts';
import { FASHION_MNIST_DEFAULT_DIR, MNIST_DEFAULT_DIR } from './readers/mnist-idx.ts';
import { CIFAR10_DEFAULT_DIR } from './readers/cifar10.ts';

export const SOURCES = [...IMAGE_SOURCES, 'synthetic'] as const;
export type SourceName = (typeof SOURCES)[number];

export interface ImageIngestConfig {
  source: ImageSourceName;
  /** Folder of the raw files (relative paths are relative to the working directory); null for the embedded sample. */
  path: string | null;
  primary: number[];
  auxiliary: number[];
  perClass: number;
  auxiliaryCount: number;
  /** Held-out examples per primary class (2x that many auxiliary); 0 = no test.arrow. */
  testPerClass: number;
  seed: number;
}

export interface SyntheticIngestConfig {
  source: 'synthetic';
  seed: number;
  synthetic: { shape: SyntheticShape; points: number };
}

export type IngestConfig = ImageIngestConfig | SyntheticIngestConfig;

export const INGEST_DEFAULTS = {
  source: 'mnist-sample',
  primary: [4, 9],
  auxiliary: [5, 7],
  perClass: 500,
  testPerClass: 100,
  seed: 0,
  synthetic: { shape: 'torus', points: 100 },
} as const;

export const DEFAULT_PATHS: Record<ImageSourceName, string | null> = {
  'mnist-sample': null,
  mnist: MNIST_DEFAULT_DIR,
  'fashion-mnist': FASHION_MNIST_DEFAULT_DIR,
  cifar10: CIFAR10_DEFAULT_DIR,
};

const KEYS = ['source', 'path', 'primary', 'auxiliary', 'perClass', 'auxiliaryCount', 'testPerClass', 'seed', 'synthetic'];
const IMAGE_ONLY_KEYS = ['path', 'primary', 'auxiliary', 'perClass', 'auxiliaryCount', 'testPerClass'];
const SYNTHETIC_KEYS = ['shape', 'points'];

function isRecord(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/**
 * Validates the pipeline's `dataset` section and applies defaults. Class
 * names (CIFAR-10, Fashion-MNIST) are resolved to class numbers here.
 */
export function parseIngestConfig(section: unknown, file: string): IngestConfig {
  const raw = section ?? {};
  const fail = (key: string, message: string) => new ElasticityError(message, { file, field: key ? `dataset.${key}` : 'dataset' });
  if (!isRecord(raw)) throw fail('', `must be an object, got ${Array.isArray(raw) ? 'an array' : typeof raw}`);
  assertKnownKeys(raw, KEYS, { file, path: 'dataset' });
  const source = raw.source ?? INGEST_DEFAULTS.source;
  if (typeof source !== 'string' || !(SOURCES as readonly string[]).includes(source)) {
    throw fail('source', `must be one of ${SOURCES.join(', ')}, got ${JSON.stringify(source)}`);
  }
  const int = (key: string, value: unknown, min: number, max = 2 ** 31 - 1): number => {
    if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
      throw fail(key, `must be an integer in ${min}..${max}, got ${JSON.stringify(value)}`);
    }
    return value;
  };
  const seed = int('seed', raw.seed ?? INGEST_DEFAULTS.seed, 0);

  if (source === 'synthetic') {
    for (const key of IMAGE_ONLY_KEYS) {
      if (raw[key] !== undefined) throw fail(key, `is not used with source "synthetic" (remove it)`);
    }
    const syn = raw.synthetic ?? {};
    if (!isRecord(syn)) throw fail('synthetic', 'must be an object { shape, points }');
    assertKnownKeys(syn, SYNTHETIC_KEYS, { file, path: 'dataset.synthetic' });
    const shape = syn.shape ?? INGEST_DEFAULTS.synthetic.shape;
    if (typeof shape !== 'string' || !(SYNTHETIC_SHAPES as readonly string[]).includes(shape)) {
      throw fail('synthetic.shape', `must be one of ${SYNTHETIC_SHAPES.join(', ')}, got ${JSON.stringify(shape)}`);
    }
    const points = int('synthetic.points', syn.points ?? INGEST_DEFAULTS.synthetic.points, 1, 1_000_000);
    return { source: 'synthetic', seed, synthetic: { shape: shape as SyntheticShape, points } };
  }

  const imageSource = source as ImageSourceName;
  if (raw.synthetic !== undefined) throw fail('synthetic', `is only used with source "synthetic" (source is "${source}")`);
  let path = DEFAULT_PATHS[imageSource];
  if (raw.path !== undefined) {
    if (imageSource === 'mnist-sample') throw fail('path', 'is not used with source "mnist-sample" (the sample is embedded)');
    if (typeof raw.path !== 'string' || raw.path === '') throw fail('path', `must be a non-empty string, got ${JSON.stringify(raw.path)}`);
    path = raw.path;
  }
  const classes = (key: 'primary' | 'auxiliary', value: unknown, min: number): number[] => {
    if (!Array.isArray(value) || value.length < min || value.length > 10) {
      throw fail(key, `must be a list of at least ${min} classes (${describeClasses(imageSource)}), got ${JSON.stringify(value)}`);
    }
    const out = value.map((v, i) => {
      const c = resolveClass(imageSource, v);
      if (c === undefined) throw fail(`${key}[${i}]`, `unknown class ${JSON.stringify(v)} for source "${source}" (expected ${describeClasses(imageSource)})`);
      return c;
    });
    if (new Set(out).size !== out.length) throw fail(key, `names a class twice: ${JSON.stringify(value)}`);
    return out;
  };
  const primary = classes('primary', raw.primary ?? INGEST_DEFAULTS.primary, 2);
  const auxiliary = classes('auxiliary', raw.auxiliary ?? INGEST_DEFAULTS.auxiliary, 1);
  const shared = auxiliary.filter((c) => primary.includes(c));
  if (shared.length) throw fail('auxiliary', `class ${shared.join(', ')} is also primary`);
  const perClass = int('perClass', raw.perClass ?? INGEST_DEFAULTS.perClass, 1);
  const auxiliaryCount = int('auxiliaryCount', raw.auxiliaryCount ?? primary.length * perClass, 1);
  const testPerClass = int('testPerClass', raw.testPerClass ?? INGEST_DEFAULTS.testPerClass, 0);
  return { source: imageSource, path, primary, auxiliary, perClass, auxiliaryCount, testPerClass, seed };
}
