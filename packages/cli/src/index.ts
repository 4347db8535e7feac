export { main } from './main.ts';
export { runNx } from './commands/run.ts';
export * from './pipeline/index.ts';
export { validatePipeline } from './pipeline/validate.ts';
