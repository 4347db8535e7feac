export { main } from './main.ts';
export { runNx } from './run/run-nx.ts';
