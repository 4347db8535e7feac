import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ElasticityError } from '@elasticity/core/light';
import { withTempDir } from '@elasticity/core/testing';
import { pipelineNames, readPipeline, resolvePipelineFile, skipBrokenPipeline } from './read-pipeline.ts';

async function withPipelines(files: Record<string, string>, work: (root: string) => void | Promise<void>): Promise<void> {
  await withTempDir('read-pipeline-', async (root) => {
    for (const [name, text] of Object.entries(files)) {
      await mkdir(join(root, 'pipelines', name, '..'), { recursive: true });
      await writeFile(join(root, 'pipelines', name), text);
    }
    await work(root);
  });
}

/** What `work` writes to stderr. */
function stderrOf(work: () => void): string {
  const write = process.stderr.write;
  let text = '';
  process.stderr.write = ((chunk: string) => { text += chunk; return true; }) as typeof process.stderr.write;
  try {
    work();
  } finally {
    process.stderr.write = write;
  }
  return text;
}

const FILES = { 'b.json': '{}', 'paper/a.json': '{}', 'pipeline.schema.json': '{}', 'notes.txt': '', 'broken.json': '{ "dataset": {' };

test('the pipelines are the .json files under pipelines/, subfolders named FOLDER/NAME, schema files left out', async () => {
  await withPipelines(FILES, (root) => {
    assert.deepEqual(pipelineNames(root), ['b', 'broken', 'paper/a']);
    assert.deepEqual(pipelineNames(join(root, 'nowhere')), []);
  });
});

test('a name with no pipeline file is one error listing the pipelines there are; a .json path is taken as given', async () => {
  await withPipelines(FILES, (root) => {
    assert.equal(resolvePipelineFile('paper/a', root), join(root, 'pipelines', 'paper', 'a.json'));
    assert.equal(resolvePipelineFile('elsewhere/x.json', root), join(root, 'elsewhere', 'x.json'));
    assert.throws(() => resolvePipelineFile('nosuch', root), (e: unknown) => e instanceof ElasticityError
      && e.file === join(root, 'pipelines', 'nosuch.json')
      && e.message.endsWith('no pipeline "nosuch"; the pipelines are: b, broken, paper/a'));
  });
});

test('a pipeline file that does not read is skipped with one warning naming it; other errors are not caught', async () => {
  await withPipelines(FILES, (root) => {
    let read: unknown;
    const quiet = stderrOf(() => { read = skipBrokenPipeline(() => readPipeline(join(root, 'pipelines', 'b.json'))); });
    assert.equal((read as { name: string }).name, 'b');
    assert.equal(quiet, '');

    const warned = stderrOf(() => { read = skipBrokenPipeline(() => readPipeline(join(root, 'pipelines', 'broken.json'))); });
    assert.equal(read, undefined);
    assert.equal(warned.split('\n').filter(Boolean).length, 1, warned);
    assert.match(warned, /^\[pipelines\] warn: .*pipelines\/broken\.json: not valid JSON .*\(this pipeline is left out; the others run\)\n$/);

    assert.throws(() => skipBrokenPipeline(() => { throw new TypeError('a bug'); }), TypeError);
  });
});
