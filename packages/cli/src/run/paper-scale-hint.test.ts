import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { withTempDir } from '@elasticity/core/testing';
import { paperScaleHint } from './paper-scale-hint.ts';

test('the paper-scale hint counts the results files and is absent without any', async () => {
  await withTempDir('paper-hint-', async (root) => {
    assert.equal(paperScaleHint(root), undefined);
    await mkdir(join(root, 'results', 'paper-scale'), { recursive: true });
    await writeFile(join(root, 'results', 'paper-scale', 'README.md'), 'x');
    assert.equal(paperScaleHint(root), undefined, 'no results file yet');
    await writeFile(join(root, 'results', 'paper-scale', 'a.json'), '{}');
    assert.match(paperScaleHint(root)!, /1 finished combination in results\/paper-scale\/, `npx elasticity table results\/paper-scale` prints them$/);
    await writeFile(join(root, 'results', 'paper-scale', 'b.json'), '{}');
    assert.match(paperScaleHint(root)!, /^paper scale \(the paper's widths and epochs\): 2 finished combinations in/);
  });
});
