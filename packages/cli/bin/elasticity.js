#!/usr/bin/env node
// The elasticity command: the CLI's bundle (bundle.mjs: one JavaScript file
// made from the TypeScript sources, remade when they change), else the
// sources through tsx (the workspace has no build step).
import { cliBundle } from './bundle.mjs';

const bundle = await cliBundle();
if (bundle) {
  await import(bundle);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import('../src/bin.ts');
}
