import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

let collect: (() => void) | null | undefined;

/**
 * Frees the memory of arrays no longer referenced, now: a full garbage
 * collection. V8 frees an ArrayBuffer's or SharedArrayBuffer's memory only
 * when a collection finds it unreferenced, and weighs that memory lightly
 * when deciding to collect: a stage computing a kernel in row blocks held
 * up to eight finished blocks' arrays (1.4 GB at 20,000 examples, width
 * 4096) before a collection ran, over its memory budget. Stages that work
 * in blocks call this between blocks (a collection of a small heap takes
 * milliseconds). Two collections: the memory of a buffer the first one
 * finds unreferenced is returned only after it (measured: 256 MB of blocks
 * still counted after one, none after two). A no-op where the runtime does
 * not expose a collector.
 */
export function releaseMemory(): void {
  if (collect === undefined) {
    try {
      setFlagsFromString('--expose-gc');
      collect = runInNewContext('gc') as () => void;
    } catch {
      collect = null;
    }
  }
  collect?.();
  collect?.();
}
