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
