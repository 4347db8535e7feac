/** Logs go to stderr so that stdout carries only results (tables, JSON). */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
const ORDER: Record<LogLevel, number> = { debug: 0, info: 1, warn: 2, error: 3 };

function threshold(): number {
  const env = (process.env.ELASTICITY_LOG ?? 'info') as LogLevel;
  return ORDER[env] ?? ORDER.info;
}

function emit(level: LogLevel, scope: string, message: string): void {
  if (ORDER[level] < threshold()) return;
  process.stderr.write(`[${scope}] ${level === 'info' ? '' : level + ': '}${message}\n`);
}

export interface Logger {
  debug(message: string): void;
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

export function createLogger(scope: string): Logger {
  return {
    debug: (m) => emit('debug', scope, m),
    info: (m) => emit('info', scope, m),
    warn: (m) => emit('warn', scope, m),
    error: (m) => emit('error', scope, m),
  };
}
