/**
 * The fuzz script: `node --import tsx tools/fuzz/run.ts [--count 10000] [--seed 1]`.
 * Prints the summary, writes tools/bench/results/fuzz.json, exits 1 on any failure.
 */
import { parseArgs } from 'node:util';
import { join } from 'node:path';
import { writeFileAtomic } from '@elasticity/core';
import { fuzz } from './fuzz.ts';
import { REPO } from '../e2e/workspace.ts';

const { values } = parseArgs({ options: { count: { type: 'string', default: '10000' }, seed: { type: 'string', default: '1' } } });
const summary = await fuzz({ count: Number(values.count), seed: Number(values.seed) });
const out = join(REPO, 'tools/bench/results/fuzz.json');
await writeFileAtomic(out, JSON.stringify(summary, null, 2) + '\n');
for (const [name, s] of Object.entries(summary.perTarget)) {
  process.stdout.write(`${name.padEnd(24)} ${String(s.inputs).padStart(6)} inputs  ${String(s.accepted).padStart(6)} accepted  ${String(s.clearErrors).padStart(6)} clear errors  ${s.failures} failures\n`);
}
process.stdout.write(`${summary.inputs} inputs in ${summary.seconds.toFixed(1)} s: ${summary.failures.length} failures (crashes or hangs)\n`);
for (const f of summary.failures.slice(0, 20)) process.stdout.write(`  ${f.target} #${f.input} [${f.mutations.join(', ')}] ${f.kind}: ${f.message}\n`);
process.exitCode = summary.failures.length === 0 ? 0 : 1;
