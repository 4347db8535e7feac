// The GitHub Actions workflow that spreads a matrix pipeline over runners (.github/workflows/suite.yml):
// it parses, has the shape the README describes, and its commands are ones the CLI accepts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse } from 'yaml';
import { parseComboFilter, parsePartition, readPipeline, resolvePipelineFile } from '@elasticity/pipeline';
import { REPO, cli } from './workspace.ts';

interface Step { uses?: string; run?: string; with?: Record<string, unknown> }
interface Job { needs?: string | string[]; if?: string; strategy?: { matrix?: { part?: number[] } }; steps: Step[] }
interface Workflow {
  on: { workflow_dispatch: { inputs: Record<string, { default: string }> } };
  env: Record<string, string>;
  jobs: Record<string, Job>;
}

const workflow = async () => parse(await readFile(join(REPO, '.github/workflows/suite.yml'), 'utf8')) as Workflow;

/**
 * The `elasticity` command lines of a job's steps as argument lists, with the
 * workflow's expressions and shell variables given the values of one run.
 */
function elasticityCommands(job: Job, values: { part: number; total: number; pipeline: string; only: string }): string[][] {
  return job.steps.flatMap((step) => (step.run ?? '').split('\n').filter((line) => /\bnpx elasticity\b/.test(line)).map((line) => {
    const text = line
      .replace(/\$\{\{ matrix\.part \}\}/g, String(values.part))
      .replace(/\$\{\{ strategy\.job-total \}\}/g, String(values.total))
      .replace(/\$\{ONLY:\+--only "\$ONLY"\}/g, values.only ? `--only "${values.only}"` : '')
      .replace(/"\$PIPELINE"/g, values.pipeline);
    assert.doesNotMatch(text, /\$/, `an expression or variable left in: ${text}`);
    const words = [...text.matchAll(/"([^"]*)"|(\S+)/g)].map((m) => m[1] ?? m[2]);
    assert.deepEqual(words.slice(0, 2), ['npx', 'elasticity'], text);
    return words.slice(2);
  }));
}

test('suite.yml: n partition jobs with the cache variables from secrets, then an assemble job that runs the whole pipeline and uploads its combined report', async () => {
  const wf = await workflow();
  const inputs = wf.on.workflow_dispatch.inputs;
  assert.equal(inputs.pipeline.default, 'paper/mnist-table1');
  assert.equal(wf.env.PIPELINE, '${{ inputs.pipeline }}');
  assert.equal(wf.env.ONLY, '${{ inputs.only }}');
  for (const name of ['NX_SELF_HOSTED_REMOTE_CACHE_SERVER', 'NX_SELF_HOSTED_REMOTE_CACHE_ACCESS_TOKEN']) assert.equal(wf.env[name], `\${{ secrets.${name} }}`);

  const { partition, assemble } = wf.jobs;
  const parts = partition.strategy?.matrix?.part ?? [];
  assert.deepEqual(parts, Array.from({ length: parts.length }, (_, i) => i + 1), 'parts 1..n');
  assert.ok(parts.length >= 2);
  assert.deepEqual(assemble.needs, 'partition');
  assert.equal(assemble.if, '${{ !cancelled() }}', 'the assemble job runs after a failed part too');
  for (const job of [partition, assemble]) {
    assert.ok(job.steps.some((s) => s.uses?.startsWith('actions/checkout@')));
    assert.ok(job.steps.some((s) => s.uses?.startsWith('actions/setup-node@') && s.with?.['node-version'] === 20));
    assert.ok(job.steps.some((s) => s.run === 'npm ci'));
  }
  const upload = assemble.steps.find((s) => s.uses?.startsWith('actions/upload-artifact@'));
  assert.equal(upload?.with?.path, 'data/${{ inputs.pipeline }}/matrix-report*/');

  const values = { total: parts.length, pipeline: inputs.pipeline.default, only: inputs.only.default };
  const partCommands = parts.map((part) => elasticityCommands(partition, { ...values, part }));
  assert.deepEqual(partCommands.map((c) => c.length), parts.map(() => 1));
  assert.deepEqual(partCommands.map(([c]) => c.slice(0, 4)), parts.map((part) => ['run', 'paper/mnist-table1', '--partition', `${part}/${parts.length}`]));
  const [assembleCommand] = elasticityCommands(assemble, { ...values, part: 0 });
  assert.deepEqual(assembleCommand.slice(0, 2), ['run', 'paper/mnist-table1']);
  assert.ok(!assembleCommand.includes('--partition'));
  // both run the same combinations: the assemble job reads what the parts stored
  const only = (c: string[]) => c[c.indexOf('--only') + 1];
  assert.ok(partCommands.every(([c]) => only(c) === 'scale=quick,data=sample') && only(assembleCommand) === 'scale=quick,data=sample');
});

test('suite.yml: every flag it passes is an option of `elasticity run`, and its values parse (pipeline, --partition, --only)', async () => {
  const wf = await workflow();
  const help = cli(REPO, ['run', '--help']);
  assert.equal(help.status, 0, help.stderr);
  const inputs = wf.on.workflow_dispatch.inputs;
  const commands = [...elasticityCommands(wf.jobs.partition, { part: 2, total: 4, pipeline: inputs.pipeline.default, only: inputs.only.default }), ...elasticityCommands(wf.jobs.assemble, { part: 0, total: 4, pipeline: inputs.pipeline.default, only: '' })];
  for (const args of commands) {
    assert.equal(args[0], 'run');
    for (const flag of args.filter((a) => a.startsWith('--'))) assert.match(help.stdout, new RegExp(`\\s${flag}\\s`), `elasticity run has no ${flag}`);
    const pipeline = readPipeline(resolvePipelineFile(args[1], REPO));
    const value = (flag: string) => (args.includes(flag) ? args[args.indexOf(flag) + 1] : undefined);
    if (value('--partition')) assert.deepEqual(parsePartition(value('--partition')!), { index: 2, count: 4 });
    if (value('--only')) assert.deepEqual(parseComboFilter(value('--only'), pipeline.matrix ?? [], pipeline.file), { scale: 'quick', data: 'sample' });
    assert.ok(Number.isInteger(Number(value('--parallel'))));
  }
  assert.ok(commands.some((c) => c.includes('--only')) && commands.some((c) => !c.includes('--only')), 'with and without --only');
});
