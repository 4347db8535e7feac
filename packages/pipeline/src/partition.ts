import { ElasticityError } from '@elasticity/core/light';
import type { PlannedCombination, StageInstance } from './plan.ts';
import { STAGES } from './stages.ts';

/** Part `index` (1-based) of `count`: `elasticity run NAME --partition index/count`. */
export interface PartitionSpec {
  index: number;
  count: number;
}

/** One part of a pipeline's combinations, for one machine. */
export interface PipelinePart {
  /** 1-based. */
  index: number;
  /** Its combinations, in the partition's order (combinations that share instances side by side). */
  combos: PlannedCombination[];
  /** The stage instances its combinations use: what it computes from an empty cache. */
  instances: StageInstance[];
  /** Those of its instances that an earlier part also uses (computed twice unless that part has stored them first). */
  sharedWithEarlier: StageInstance[];
}

/** Reads "i/n" (1 ≤ i ≤ n, both integers); anything else is an error naming `field`. */
export function parsePartition(text: string, where: { file?: string; field?: string } = {}): PartitionSpec {
  const field = where.field ?? '--partition';
  const match = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(text);
  const index = match ? Number(match[1]) : NaN;
  const count = match ? Number(match[2]) : NaN;
  if (!match || !Number.isSafeInteger(count) || count < 1 || index < 1 || index > count) {
    throw new ElasticityError(`must be i/n with 1 ≤ i ≤ n (part i of n), e.g. 1/4; got "${text}"`, { file: where.file, field });
  }
  return { index, count };
}

/**
 * Splits combinations into `count` disjoint parts, for `count` machines that
 * share one remote cache, so that together they compute every stage
 * instance about once and each about the same number.
 *
 * How. A part is a set of combinations (Nx runs a combination's leaf task and,
 * through dependsOn, every instance above it: a part cannot run a task
 * without the instances it reads). An instance used by combinations of two
 * parts is therefore computed by both, unless one has stored it in the
 * remote cache before the other asks for it; parts run at the same time and
 * nothing here waits for another machine (Nx is the engine; this is not a
 * scheduler). So the split keeps combinations that share an instance in one
 * part wherever the balance allows:
 *
 * 1. The combinations are sorted by their instances, stage by stage in DAG
 *    order (ingest, train, probe, ntk, similarity, cluster, report). The
 *    combinations of one data set are then side by side, within them those of
 *    one trained model, and so on: an instance's users form one run of the
 *    order (for every stage but ntk, whose instances can interleave with
 *    probe's), and a cut between two neighbours splits only the instances
 *    both use.
 * 2. F(k), the number of distinct instances among the first k combinations,
 *    rises from 0 to W (all instances) by at most s per combination (s: the
 *    most instances one combination has, its stage count). Cut j of n − 1
 *    goes where split(k) + |F(k) − j·W/n| is least, split(k) being the
 *    instances used on both sides of the cut (then the fewer split): both
 *    terms count instances, one more for one part or one computed twice. So
 *    a cut moves a few instances off the even share to the edge of a data
 *    set's or a trained model's group rather than compute its training,
 *    probe and data set twice.
 *
 * What holds (tested in partition.test.ts): the parts are disjoint and
 * together hold every combination; each instance is owned by exactly one
 * part, the first that uses it, and is computed again only by later parts
 * whose first cut splits it (`sharedWithEarlier`); a split whose groups
 * divide evenly splits no instance. The bound on balance: the position
 * nearest j·W/n costs at most s/2 + s (a cut splits at most one instance
 * per stage when the users of each instance are side by side: ntk aside),
 * so when the constraint that no part be empty does not bind, each part's
 * own instances (F at its end minus F at its start) are within 3s of W/n
 * and it computes at most s more from the part before. Each instance
 * weighs one: a training and a clustering count the same.
 *
 * Fewer combinations than parts: one combination per part, the last parts
 * empty (a plain pipeline is one combination: part 1 runs it).
 */
export function partitionCombos(combos: PlannedCombination[], count: number): PipelinePart[] {
  if (!Number.isSafeInteger(count) || count < 1) throw new Error(`partition count must be a positive integer, got ${count}`);
  const order = sortBySharedInstances(combos);
  const m = order.length;
  const cuts = m <= count ? Array.from({ length: count - 1 }, (_, j) => Math.min(j + 1, m)) : chooseCuts(order, count);
  const bounds = [0, ...cuts, m];
  const seen = new Set<StageInstance>();
  return Array.from({ length: count }, (_, j) => {
    const partCombos = order.slice(bounds[j], bounds[j + 1]);
    const instances = distinctInstances(partCombos);
    const sharedWithEarlier = instances.filter((i) => seen.has(i));
    for (const i of instances) seen.add(i);
    return { index: j + 1, combos: partCombos, instances, sharedWithEarlier };
  });
}

/** The instances of each combination in stage order. */
function instancesOf(combo: PlannedCombination): StageInstance[] {
  return STAGES.map((s) => combo.instances[s.name]).filter((i): i is StageInstance => i !== undefined);
}

function distinctInstances(combos: PlannedCombination[]): StageInstance[] {
  return [...new Set(combos.flatMap(instancesOf))];
}

/** Sorted by the tuple (ingest instance, train instance, …) of first-appearance numbers; a stable sort keeps equal tuples in their order. */
function sortBySharedInstances(combos: PlannedCombination[]): PlannedCombination[] {
  const number = new Map<StageInstance, number>();
  for (const c of combos) for (const i of instancesOf(c)) if (!number.has(i)) number.set(i, number.size);
  const keyOf = (c: PlannedCombination) => STAGES.map((s) => (c.instances[s.name] ? number.get(c.instances[s.name]!)! : -1));
  const keys = new Map(combos.map((c) => [c, keyOf(c)]));
  return [...combos].sort((a, b) => {
    const ka = keys.get(a)!;
    const kb = keys.get(b)!;
    for (let d = 0; d < ka.length; d++) if (ka[d] !== kb[d]) return ka[d] - kb[d];
    return 0;
  });
}

/** The n − 1 cut positions (1 ≤ k < m, increasing) of `order` (m > count), as described on partitionCombos. */
function chooseCuts(order: PlannedCombination[], count: number): number[] {
  const m = order.length;
  const per = order.map(instancesOf);
  // F(k): distinct instances among the first k; split(k): instances used on both sides of a cut before position k.
  const first = new Map<StageInstance, number>();
  const last = new Map<StageInstance, number>();
  per.forEach((list, k) => {
    for (const i of list) {
      if (!first.has(i)) first.set(i, k);
      last.set(i, k);
    }
  });
  const F = new Array<number>(m + 1).fill(0);
  for (const k of first.values()) F[k + 1] += 1;
  for (let k = 1; k <= m; k++) F[k] += F[k - 1];
  const W = F[m];
  const split = new Array<number>(m + 2).fill(0);
  for (const [i, f] of first) {
    split[f + 1] += 1;
    split[last.get(i)! + 1] -= 1;
  }
  for (let k = 1; k <= m; k++) split[k] += split[k - 1];
  const cuts: number[] = [];
  let previous = 0;
  for (let j = 1; j < count; j++) {
    const target = (j * W) / count;
    const lo = previous + 1;
    const hi = m - (count - j); // every later part keeps at least one combination
    // Both terms are counted in instances: one more on one part's side, or one computed twice.
    const cost = (k: number) => split[k] + Math.abs(F[k] - target);
    let best = lo;
    for (let k = lo + 1; k <= hi && F[k] - target <= cost(best); k++) {
      if (cost(k) < cost(best) || (cost(k) === cost(best) && split[k] < split[best])) best = k;
    }
    cuts.push(best);
    previous = best;
  }
  return cuts;
}
