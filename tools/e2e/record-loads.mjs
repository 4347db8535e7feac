// `node --import tsx --import ./record-loads.mjs …`: appends the URL of every
// module the process resolves through the ES module loader to the file
// $RECORD_LOADS, one per line (tools/e2e/cli-imports.test.ts reads it).
import { appendFileSync } from 'node:fs';
import { register } from 'node:module';
import { isMainThread } from 'node:worker_threads';

if (isMainThread) register(import.meta.url);

export async function resolve(specifier, context, nextResolve) {
  const resolved = await nextResolve(specifier, context);
  if (process.env.RECORD_LOADS) appendFileSync(process.env.RECORD_LOADS, `${resolved.url}\n`);
  return resolved;
}
