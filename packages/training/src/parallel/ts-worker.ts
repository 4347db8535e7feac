import { Worker } from 'node:worker_threads';

/**
 * Starts a worker thread on a TypeScript module. Worker threads inherit
 * `--import tsx` from the parent's execArgv, but on Node 20 the inherited
 * hooks are not in place before the worker's entry module is resolved
 * ("Unknown file extension .ts"), so the worker starts from a tiny eval'd
 * bootstrap that registers tsx's ESM hooks in the worker and then imports
 * the module. The tsx API is resolved here, from this package, so the
 * worker finds it whatever the current directory is.
 */
export function startTsWorker(module: URL): Worker {
  const api = import.meta.resolve('tsx/esm/api');
  const bootstrap = `import(${JSON.stringify(api)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(module.href)}); });`;
  return new Worker(bootstrap, { eval: true });
}
