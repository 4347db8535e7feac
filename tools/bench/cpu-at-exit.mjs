// `node --import ./cpu-at-exit.mjs …`: at exit, appends the process's CPU
// time (user + system, all threads, in seconds) to the file $CPU_AT_EXIT
// (tools/bench/cli-startup.ts reads it).
import { appendFileSync } from 'node:fs';

process.on('exit', () => {
  const { user, system } = process.cpuUsage();
  if (process.env.CPU_AT_EXIT) appendFileSync(process.env.CPU_AT_EXIT, `${(user + system) / 1e6}\n`);
});
