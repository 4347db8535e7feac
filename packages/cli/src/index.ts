export { main } from './main.ts';
export { runNx } from './commands/run-nx.ts';
