import { access } from 'node:fs/promises';
import { join } from 'node:path';
import {
  ElasticityError, primaryIndices, readDatasetFile, readMatrixFile, runStage, writeFeaturesFile, writeMatrixFile,
} from '@elasticity/core';
import { rawFeatures } from './baselines/raw.ts';
import { pcaFeatures } from './baselines/pca.ts';
import { parseSimilarityConfig } from './similarity-config.ts';
import type { SimilaritySource } from './similarity-config.ts';
import { assertOverIds, symmetrizeMatrix } from './symmetrize-matrix.ts';

export interface SimilarityOptions {
  /** The pipeline's `similarity` section. */
  config: unknown;
  pipelineFile: string;
  datasetFile: string;
  /** Folder with relative.arrow / kernelized.arrow (probe stage output). */
  probeDir?: string;
  /** Folder with ntk.arrow (ntk stage output). */
  ntkDir?: string;
  outDir: string;
}

/** The file a similarity source is read from; throws naming the option when its folder was not given. */
function sourceFile(name: SimilaritySource, options: SimilarityOptions, index: number): string {
  const dir = name === 'ntk' ? options.ntkDir : options.probeDir;
  if (dir === undefined) {
    const option = name === 'ntk' ? 'ntkDir' : 'probeDir';
    throw new ElasticityError(`"${name}" needs the ${option} option (the ${name === 'ntk' ? 'ntk' : 'probe'} stage output folder)`, {
      file: options.pipelineFile, field: `similarity.use[${index}]`,
    });
  }
  return join(dir, name === 'ntk' ? 'ntk.arrow' : `${name}.arrow`);
}

/**
 * The similarity stage: symmetrises each matrix named in `use` and writes the
 * baseline features, all over the primary examples in dataset order.
 */
export async function runSimilarity(options: SimilarityOptions): Promise<void> {
  const config = parseSimilarityConfig(options.config, options.pipelineFile);
  const sources = config.use.map((name, i) => ({ name, file: sourceFile(name, options, i) }));
  for (const [i, { name, file }] of sources.entries()) {
    try {
      await access(file);
    } catch {
      throw new ElasticityError(`input matrix for "${name}" not found (named in similarity.use[${i}]); run the stage that writes it first`, {
        file, field: `similarity.use[${i}]`,
      });
    }
  }
  const inputFiles = [options.datasetFile, ...sources.map((s) => s.file)];
  await runStage(
    { stage: 'similarity', outDir: options.outDir, params: { ...config }, seed: null, inputFiles },
    async ({ dir, meta, log }) => {
      const { dataset } = await readDatasetFile(options.datasetFile);
      const primary = primaryIndices(dataset);
      if (primary.length === 0) throw new ElasticityError('data set has no primary examples', { file: options.datasetFile, field: 'role' });
      const primaryIds = Int32Array.from(primary, (r) => dataset.ids[r]);
      log.info(`${primaryIds.length} primary examples`);

      for (const { name, file } of sources) {
        const started = performance.now();
        const { matrix } = await readMatrixFile(file);
        assertOverIds(matrix, primaryIds, file);
        if (matrix.kind !== name) log.warn(`${file}: kind "${matrix.kind}" written as "${name}"`);
        const sym = symmetrizeMatrix(matrix, file);
        await writeMatrixFile(join(dir, `${name}.arrow`), {
          kind: name,
          rowIds: sym.rowIds,
          columnIds: sym.columnIds,
          values: sym.values,
          extra: { ...sym.extra, source: matrix.kind, symmetrized: 'true' },
        }, meta);
        log.info(`${name}: symmetrised ${primaryIds.length} x ${primaryIds.length} in ${((performance.now() - started) / 1000).toFixed(2)} s`);
      }

      if (config.baselines.length > 0) {
        const raw = rawFeatures(dataset);
        for (const name of config.baselines) {
          const started = performance.now();
          const features = name === 'raw' ? raw : pcaFeatures(raw, config.pcaComponents);
          await writeFeaturesFile(join(dir, `${name}.arrow`), features, meta);
          log.info(`${name}: ${features.ids.length} x ${features.dim} features in ${((performance.now() - started) / 1000).toFixed(2)} s`);
        }
      }
    },
  );
}
