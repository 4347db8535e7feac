import { stat } from 'node:fs/promises';
import { ElasticityError } from './errors.ts';
import { readArrowTable } from './arrow/table-io.ts';
import { readArrowSchema } from './arrow/column-names.ts';
import { decodeMeta } from './arrow/metadata.ts';

/** Input files above this size have only their schema read (readArrowTable holds the whole file, at most 2 GB). */
const LARGE_FILE_BYTES = 2 ** 30;

/**
 * Checks that a stage's inputs agree with each other: when an input Arrow
 * file records the SHA-256 of a file that this stage also reads (say a probe
 * matrix made from dataset.arrow, read next to dataset.arrow), the recorded
 * hash must be the file's hash now. A mismatch means an upstream stage was
 * re-run and this input is stale.
 *
 * `inputs` maps each input's path (relative to the working directory, as
 * recorded in metadata) to its SHA-256.
 */
export async function checkInputChain(inputs: Record<string, string>): Promise<void> {
  for (const path of Object.keys(inputs)) {
    if (!path.endsWith('.arrow')) continue;
    // a matrix file of GBs (kernels beyond memory) is not read whole: its schema holds the metadata
    const large = (await stat(path)).size > LARGE_FILE_BYTES;
    const meta = decodeMeta((large ? await readArrowSchema(path) : (await readArrowTable(path)).schema).metadata);
    if ('missing' in meta) continue; // a foreign Arrow file (user features) records no inputs
    for (const [recorded, hash] of Object.entries(meta.inputs)) {
      const now = inputs[recorded];
      if (now !== undefined && now !== hash) {
        throw new ElasticityError(
          `was computed from another version of ${recorded} (recorded SHA-256 ${hash.slice(0, 12)}…, now ${now.slice(0, 12)}…): ` +
            `re-run the stage that wrote it`,
          { file: path, field: 'metadata.inputs' },
        );
      }
    }
  }
}
