export { runIngest, DATASET_FILE, TEST_FILE } from './ingest.ts';
export type { IngestOptions } from './ingest.ts';
export { parseIngestConfig, INGEST_DEFAULTS, DEFAULT_PATHS, SOURCES } from './config.ts';
export type { IngestConfig, ImageIngestConfig, SyntheticIngestConfig, SourceName } from './config.ts';
export { IMAGE_SOURCES, CIFAR10_CLASSES, FASHION_MNIST_CLASSES, classNames, className, resolveClass } from './classes.ts';
export type { ImageSourceName } from './classes.ts';
export { PIXEL_SCALING } from './select.ts';

export type { ImageSplit, ImageSource } from './readers/image-split.ts';
export { parseIdx, readIdxImages, readIdxLabels, IDX_IMAGES_MAGIC, IDX_LABELS_MAGIC } from './readers/idx.ts';
export type { IdxArray } from './readers/idx.ts';
export { findMnistFiles, readMnistFolder, MNIST_DEFAULT_DIR, FASHION_MNIST_DEFAULT_DIR } from './readers/mnist-idx.ts';
export type { MnistFiles } from './readers/mnist-idx.ts';
export { findCifar10Files, readCifar10Folder, readCifarBatch, CIFAR10_DEFAULT_DIR, CIFAR10_RECORD } from './readers/cifar10.ts';
export type { CifarFiles } from './readers/cifar10.ts';
export { readMnistSample, MNIST_SAMPLE_TRAIN_FRACTION } from './readers/mnist-sample.ts';

export { SYNTHETIC_SHAPES, geodesicDistance } from './synthetic/shapes.ts';
export type { SyntheticShape } from './synthetic/shapes.ts';
export type { SyntheticLabel } from './synthetic/manifold.ts';
export { generateSynthetic } from './synthetic/generate.ts';
export type { SyntheticData } from './synthetic/generate.ts';

export { downloadDataset, DOWNLOADABLE } from './download.ts';
export type { DownloadOptions, DownloadableDataset } from './download.ts';
