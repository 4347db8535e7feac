import type { Dataset, ElasticNeighbours } from '@elasticity/core';

/** Probed examples shown per class in the report. */
export const GALLERY_PER_CLASS = 2;

export interface GalleryEntry {
  id: number;
  class: number;
  value: number;
}

/** One probed example of the gallery and its most and least moved neighbours. */
export interface GalleryExample {
  id: number;
  class: number;
  top: GalleryEntry[];
  bottom: GalleryEntry[];
}

/** One neighbours file as results.json keeps it. */
export interface NeighboursSummary {
  kind: string;
  k: number;
  probed: number;
  /**
   * Over every probed example, the fraction of its k most moved (and of its
   * k least moved) neighbours that share its class.
   */
  sameClassTop: number;
  sameClassBottom: number;
  /** The first GALLERY_PER_CLASS probed examples of each class, in file order. */
  examples: GalleryExample[];
}

/**
 * The report's summary of one neighbours file: class agreement of the most
 * and least moved neighbours, and the gallery's examples. Classes come from
 * the data set; an id the data set does not have is an error of the caller's
 * input check.
 */
export function summarizeNeighbours(n: ElasticNeighbours, dataset: Dataset): NeighboursSummary {
  const classOf = new Map<number, number>();
  dataset.ids.forEach((id, i) => classOf.set(id, dataset.classes[i]));
  const width = 2 * n.k;
  let top = 0, bottom = 0;
  const perClass = new Map<number, number>();
  const examples: GalleryExample[] = [];
  for (let r = 0; r < n.ids.length; r++) {
    const own = classOf.get(n.ids[r])!;
    const entry = (at: number): GalleryEntry => ({ id: n.neighbourIds[at], class: classOf.get(n.neighbourIds[at])!, value: n.values[at] });
    for (let j = 0; j < n.k; j++) {
      if (classOf.get(n.neighbourIds[r * width + j]) === own) top++;
      if (classOf.get(n.neighbourIds[r * width + n.k + j]) === own) bottom++;
    }
    const shown = perClass.get(own) ?? 0;
    if (shown < GALLERY_PER_CLASS) {
      perClass.set(own, shown + 1);
      examples.push({
        id: n.ids[r], class: own,
        top: Array.from({ length: n.k }, (_, j) => entry(r * width + j)),
        bottom: Array.from({ length: n.k }, (_, j) => entry(r * width + n.k + j)),
      });
    }
  }
  const pairs = n.ids.length * n.k;
  examples.sort((a, b) => a.class - b.class);
  return { kind: n.kind, k: n.k, probed: n.ids.length, sameClassTop: pairs ? top / pairs : NaN, sameClassBottom: pairs ? bottom / pairs : NaN, examples };
}
