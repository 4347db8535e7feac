import { existsSync } from 'node:fs';
import { ElasticityError } from '@elasticity/core';
import { readIdxImages, readIdxLabels } from './idx.ts';
import { findFirstFile } from './find-file.ts';
import { contiguousSplit } from './image-split.ts';
import type { ImageSource, ImageSplit } from './image-split.ts';

/** Where the Debian package dataset-fashion-mnist installs the Fashion-MNIST IDX files. */
export const FASHION_MNIST_DEFAULT_DIR = '/usr/share/datasets/fashion-mnist';
export const MNIST_DEFAULT_DIR = 'data/raw/mnist';

export interface MnistFiles {
  trainImages: string;
  trainLabels: string;
  testImages?: string;
  testLabels?: string;
}

/** Accepted spellings: train-images-idx3-ubyte, train-images.idx3-ubyte, each raw or .gz. */
function candidates(prefix: 'train' | 't10k', kind: 'images' | 'labels'): string[] {
  const idx = kind === 'images' ? 'idx3' : 'idx1';
  const stems = [`${prefix}-${kind}-${idx}-ubyte`, `${prefix}-${kind}.${idx}-ubyte`];
  return stems.flatMap((s) => [s, `${s}.gz`]);
}

/**
 * Locates the IDX files of an MNIST-layout folder (MNIST, Fashion-MNIST).
 * The train pair is required; the t10k pair is optional but must be complete.
 */
export function findMnistFiles(dir: string): MnistFiles {
  if (!existsSync(dir)) throw new ElasticityError('folder not found (put the IDX files there or run the download command)', { file: dir, field: 'dataset.path' });
  const find = (prefix: 'train' | 't10k', kind: 'images' | 'labels') => findFirstFile(dir, candidates(prefix, kind));
  const trainImages = find('train', 'images');
  const trainLabels = find('train', 'labels');
  const testImages = find('t10k', 'images');
  const testLabels = find('t10k', 'labels');
  const missing = (prefix: 'train' | 't10k', kind: 'images' | 'labels') =>
    new ElasticityError(`no ${candidates(prefix, kind).join(' / ')} in this folder`, { file: dir, field: 'dataset.path' });
  if (!trainImages) throw missing('train', 'images');
  if (!trainLabels) throw missing('train', 'labels');
  if (testImages && !testLabels) throw missing('t10k', 'labels');
  if (testLabels && !testImages) throw missing('t10k', 'images');
  return { trainImages, trainLabels, testImages, testLabels };
}

async function readPair(imagesFile: string, labelsFile: string, firstId: number): Promise<ImageSplit> {
  const images = await readIdxImages(imagesFile);
  const labels = await readIdxLabels(labelsFile);
  if (labels.length !== images.count) {
    throw new ElasticityError(`${labels.length} labels but ${imagesFile} holds ${images.count} images`, { file: labelsFile, field: 'count' });
  }
  return contiguousSplit([1, images.rows, images.cols], images.pixels, labels, firstId);
}

/**
 * Reads an MNIST-layout folder. Ids: train examples 0..N-1 in file order,
 * test examples N..N+M-1, so ids are unique across both splits.
 */
export async function readMnistFolder(dir: string, files: MnistFiles = findMnistFiles(dir)): Promise<ImageSource> {
  const train = await readPair(files.trainImages, files.trainLabels, 0);
  const read = [files.trainImages, files.trainLabels];
  let test: ImageSplit | undefined;
  if (files.testImages && files.testLabels) {
    test = await readPair(files.testImages, files.testLabels, train.count);
    if (test.shape.join() !== train.shape.join()) {
      throw new ElasticityError(`test images are ${test.shape.slice(1).join('x')}, train images ${train.shape.slice(1).join('x')}`, { file: files.testImages, field: 'dims' });
    }
    read.push(files.testImages, files.testLabels);
  }
  return { train, test, files: read };
}
