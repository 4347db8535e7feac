import { expectAs, sectionParser, whenValid, z } from '@elasticity/core';
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
  /** Where the examples come from: the source's train split (held-out ones from its test split), or both splits as one pool ("all"). */
  split: IngestSplit;
  seed: number;
}

/**
 * "train": the training examples from the source's train split, the held-out
 * ones from its test split. "all": both splits as one pool, train then test,
 * in dataset order; the held-out examples are the next ones of the pool after
 * those selected (with testPerClass 0: none, as the authors' clustering).
 */
export const INGEST_SPLITS = ['train', 'all'] as const;
export type IngestSplit = (typeof INGEST_SPLITS)[number];

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
  split: 'train',
  seed: 0,
  synthetic: { shape: 'torus', points: 100 },
} as const;

export const DEFAULT_PATHS: Record<ImageSourceName, string | null> = {
  'mnist-sample': null,
  mnist: MNIST_DEFAULT_DIR,
  'fashion-mnist': FASHION_MNIST_DEFAULT_DIR,
  cifar10: CIFAR10_DEFAULT_DIR,
};

const INT32_MAX = 2 ** 31 - 1;
const IMAGE_ONLY_KEYS = ['path', 'primary', 'auxiliary', 'perClass', 'auxiliaryCount', 'testPerClass', 'split'] as const;

/** A class: its number, or (CIFAR-10, Fashion-MNIST) its name; which ones exist depends on the source (checked with it). */
const CLASS = expectAs(z.union([z.int().min(0).max(9), z.string().min(1)]), 'a class: an integer 0..9 or (cifar10, fashion-mnist) a class name');
const classList = (min: number) => expectAs(
  z.array(CLASS).min(min).max(10),
  `a list of at least ${min} classes (at most 10), each an integer 0..9 or (cifar10, fashion-mnist) a class name`,
);

const SYNTHETIC_SCHEMA = z.strictObject({
  shape: z.enum(SYNTHETIC_SHAPES).default(INGEST_DEFAULTS.synthetic.shape).describe('Manifold the points are drawn from.'),
  points: z.int().min(1).max(1_000_000).default(INGEST_DEFAULTS.synthetic.points).describe('Number of points.'),
});

/** The `dataset` section as written (before class names are resolved and source-dependent defaults applied). */
const INGEST_SECTION = z.strictObject({
  source: z.enum(SOURCES).default(INGEST_DEFAULTS.source).describe('Where the examples come from; mnist-sample is embedded, synthetic draws points on a manifold.'),
  path: z.string().min(1).optional()
    .describe('Folder of the raw files (relative to the working directory); default per source. Not used with mnist-sample or synthetic.'),
  primary: classList(2).optional().describe(`Primary classes (default ${INGEST_DEFAULTS.primary.join(', ')}).`),
  auxiliary: classList(1).optional().describe(`Auxiliary classes, none of them primary (default ${INGEST_DEFAULTS.auxiliary.join(', ')}).`),
  perClass: z.int().min(1).max(INT32_MAX).optional().describe(`Training examples per primary class (default ${INGEST_DEFAULTS.perClass}).`),
  auxiliaryCount: z.int().min(1).max(INT32_MAX).optional().describe('Auxiliary examples in all (default: primary classes x perClass).'),
  testPerClass: z.int().min(0).max(INT32_MAX).optional()
    .describe(`Held-out examples per primary class (2x that many auxiliary); 0 = no test.arrow (default ${INGEST_DEFAULTS.testPerClass}).`),
  split: z.enum(INGEST_SPLITS).optional().describe(
    'Which examples to select from: "train" (default) the train split, held-out examples from the test split; '
    + '"all" the train and test splits as one pool in dataset order, held-out examples the next ones after those selected.',
  ),
  seed: z.int().min(0).max(INT32_MAX).default(INGEST_DEFAULTS.seed),
  synthetic: SYNTHETIC_SCHEMA.optional().describe('Only with source "synthetic": the manifold and the number of points.'),
});
type IngestSection = z.output<typeof INGEST_SECTION>;

/** Class numbers of a list, or undefined where one is not a class of the source. */
function resolveAll(source: ImageSourceName, values: readonly (string | number)[]): (number | undefined)[] {
  return values.map((v) => resolveClass(source, v));
}

/** Rules between keys: which keys a source takes, classes known to the source, no class twice or in both lists. */
function checkIngest(given: IngestSection, ctx: z.RefinementCtx<IngestSection>): void {
  if (given.source === 'synthetic') {
    for (const key of IMAGE_ONLY_KEYS) {
      if (given[key] !== undefined) ctx.addIssue({ code: 'custom', path: [key], message: 'is not used with source "synthetic" (remove it)' });
    }
    return;
  }
  const source = given.source;
  if (given.synthetic !== undefined) {
    ctx.addIssue({ code: 'custom', path: ['synthetic'], message: `is only used with source "synthetic" (source is "${source}")` });
  }
  if (given.path !== undefined && source === 'mnist-sample') {
    ctx.addIssue({ code: 'custom', path: ['path'], message: 'is not used with source "mnist-sample" (the sample is embedded)' });
  }
  const lists = { primary: given.primary ?? INGEST_DEFAULTS.primary, auxiliary: given.auxiliary ?? INGEST_DEFAULTS.auxiliary };
  const resolved: Record<string, number[]> = {};
  for (const [key, values] of Object.entries(lists)) {
    const classes = resolveAll(source, values);
    const bad = classes.findIndex((c) => c === undefined);
    if (bad >= 0) {
      ctx.addIssue({
        code: 'custom', path: [key, bad],
        message: `unknown class ${JSON.stringify(values[bad])} for source "${source}" (expected ${describeClasses(source)})`,
      });
      return;
    }
    resolved[key] = classes as number[];
    if (new Set(resolved[key]).size !== values.length) {
      ctx.addIssue({ code: 'custom', path: [key], message: `names a class twice: ${JSON.stringify(values)}` });
      return;
    }
  }
  const shared = resolved.auxiliary.filter((c) => resolved.primary.includes(c));
  if (shared.length) ctx.addIssue({ code: 'custom', path: ['auxiliary'], message: `class ${shared.join(', ')} is also primary` });
}

/** The checked section with class numbers and every default of its source. */
function completeIngest(given: IngestSection): IngestConfig {
  if (given.source === 'synthetic') {
    return { source: 'synthetic', seed: given.seed, synthetic: given.synthetic ?? { ...INGEST_DEFAULTS.synthetic } };
  }
  const source = given.source;
  const primary = resolveAll(source, given.primary ?? INGEST_DEFAULTS.primary) as number[];
  const auxiliary = resolveAll(source, given.auxiliary ?? INGEST_DEFAULTS.auxiliary) as number[];
  const perClass = given.perClass ?? INGEST_DEFAULTS.perClass;
  return {
    source,
    path: given.path ?? DEFAULT_PATHS[source],
    primary,
    auxiliary,
    perClass,
    auxiliaryCount: given.auxiliaryCount ?? primary.length * perClass,
    testPerClass: given.testPerClass ?? INGEST_DEFAULTS.testPerClass,
    split: given.split ?? INGEST_DEFAULTS.split,
    seed: given.seed,
  };
}

/** The `dataset` section: validated as written, checked against its source, then completed. */
export const INGEST_SCHEMA = INGEST_SECTION.superRefine(checkIngest, whenValid).transform(completeIngest)
  .describe('Ingest stage: which examples (source, primary and auxiliary classes, counts) make the data set.');

/**
 * Validates the pipeline's `dataset` section and applies defaults. Class
 * names (CIFAR-10, Fashion-MNIST) are resolved to class numbers here.
 */
export const parseIngestConfig = sectionParser<IngestConfig>('dataset', INGEST_SCHEMA);
