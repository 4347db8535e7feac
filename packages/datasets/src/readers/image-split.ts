/**
 * One split (train or test) of a labelled image data set, as read from disk:
 * raw bytes 0..255, one label per example, in the data set's own order.
 */
export interface ImageSplit {
  /** Shape of one example, channel-major: [1, 28, 28], [3, 32, 32]. */
  shape: number[];
  count: number;
  /** Class of example i (0..9). */
  labels: Uint8Array;
  /** Stable id of example i (unique across the train and test splits of one source). */
  ids: Int32Array;
  /** The pixel bytes of example i (a view, not a copy). */
  pixels(i: number): Uint8Array;
}

/** A source read from disk: its splits and the files they came from. */
export interface ImageSource {
  train: ImageSplit;
  /** Absent when the source has no test files. */
  test?: ImageSplit;
  /** Every file read, for input hashing. */
  files: string[];
}

/** An ImageSplit over one contiguous buffer of count * d pixel bytes. */
export function contiguousSplit(shape: number[], pixels: Uint8Array, labels: Uint8Array, firstId: number): ImageSplit {
  const d = shape.reduce((a, b) => a * b, 1);
  const count = labels.length;
  if (pixels.length !== count * d) throw new Error(`contiguousSplit: ${pixels.length} bytes for ${count} x ${d}`);
  const ids = new Int32Array(count);
  for (let i = 0; i < count; i++) ids[i] = firstId + i;
  return { shape, count, labels, ids, pixels: (i) => pixels.subarray(i * d, (i + 1) * d) };
}

/**
 * One split of two, `first`'s examples then `second`'s, in their own orders
 * (the split `"all"` of the dataset section: a source's train and test
 * splits as one pool). Ids stay those of the sources (unique across splits).
 */
export function joinSplits(first: ImageSplit, second: ImageSplit): ImageSplit {
  if (first.shape.join('x') !== second.shape.join('x')) throw new Error(`joinSplits: shapes ${first.shape.join('x')} and ${second.shape.join('x')}`);
  const labels = new Uint8Array(first.count + second.count);
  labels.set(first.labels);
  labels.set(second.labels, first.count);
  const ids = new Int32Array(first.count + second.count);
  ids.set(first.ids);
  ids.set(second.ids, first.count);
  return {
    shape: first.shape,
    count: first.count + second.count,
    labels,
    ids,
    pixels: (i) => (i < first.count ? first.pixels(i) : second.pixels(i - first.count)),
  };
}
