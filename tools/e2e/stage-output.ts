import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { contractOfTable, readArrowTable, validateContractTable, loadModelDir, readJsonFile } from '@elasticity/core';

/** Every file below `dir`, relative, sorted. */
export async function listFiles(dir: string): Promise<string[]> {
  return (await readdir(dir, { recursive: true, withFileTypes: true }))
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath.slice(dir.length + 1), e.name))
    .sort();
}

/** SHA-256 of every file below `dir`, by relative path. */
export async function fileHashes(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const file of await listFiles(dir)) out[file] = createHash('sha256').update(await readFile(join(dir, file))).digest('hex');
  return out;
}

/** Reads every file of a stage output the way a later stage would: Arrow files against their contract, models, JSON. */
export async function checkStageOutput(dir: string): Promise<void> {
  for (const file of await listFiles(dir)) {
    const path = join(dir, file);
    if (file.endsWith('.arrow')) {
      const table = await readArrowTable(path);
      const contract = contractOfTable(table);
      if (!contract) throw new Error(`${path}: matches no contract`);
      validateContractTable(table, path, contract);
    } else if (file.endsWith('model.json')) {
      await loadModelDir(join(dir, file.slice(0, -'model.json'.length)));
    } else if (file.endsWith('.json')) {
      await readJsonFile(path);
    }
  }
}
