import { test } from 'node:test';
import assert from 'node:assert/strict';
import { COMMANDS, commandOf } from './command-table.ts';

const named = (argv: string[]) => commandOf(argv)?.command.split(' ')[0];

test('the command a command line runs is its first word that names one', () => {
  assert.equal(named(['run', 'report']), 'run');
  assert.equal(named(['--backend', 'cpu', 'cluster', '--pipeline', 'run']), 'cluster');
  assert.equal(named(['inspect', 'data/x/run.arrow']), 'inspect');
  assert.equal(named(['--help']), undefined);
  assert.equal(named(['nosuch']), undefined);
});

test('every command has one entry whose module gives a handler (and, where the module names itself, the same usage)', async () => {
  const names = COMMANDS.map((c) => c.command.split(' ')[0]);
  assert.equal(new Set(names).size, names.length, names.join(' '));
  for (const entry of COMMANDS) {
    const body = (await entry.load()) as { handler?: unknown; command?: unknown };
    assert.equal(typeof body.handler, 'function', entry.command);
    if (body.command !== undefined) assert.equal(body.command, entry.command);
  }
});
