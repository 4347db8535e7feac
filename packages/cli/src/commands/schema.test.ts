import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, writeFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ElasticityError } from '@elasticity/core';
import { schemaCommand } from './schema.ts';
import { pipelineSchemaText } from '@elasticity/pipeline/schema';

type Args = Parameters<NonNullable<typeof schemaCommand.handler>>[0];
const run = (out: string, check: boolean) => schemaCommand.handler({ out, check, _: [], $0: 'elasticity' } as Args);

test('elasticity schema writes the JSON Schema; --check passes on a current file and names a stale one', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'schema-cmd-'));
  try {
    const out = join(dir, 'sub', 'pipeline.schema.json');
    await assert.rejects(async () => run(out, true), (e: unknown) => e instanceof ElasticityError && e.file === out && /out of date/.test(e.message));
    await run(out, false);
    assert.equal(await readFile(out, 'utf8'), pipelineSchemaText());
    await run(out, true);
    await writeFile(out, '{}\n');
    await assert.rejects(async () => run(out, true), (e: unknown) => e instanceof ElasticityError && e.file === out);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
