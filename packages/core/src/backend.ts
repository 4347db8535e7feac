import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { ElasticityError } from './errors.ts';
import { createLogger } from './log.ts';
import type { tf as Tf } from './tf.ts';

export type BackendChoice = 'auto' | 'tensorflow' | 'wasm' | 'cpu';
export const BACKEND_CHOICES: BackendChoice[] = ['auto', 'tensorflow', 'wasm', 'cpu'];

const require = createRequire(import.meta.url);
const log = createLogger('backend');
let chosen: string | undefined;
let inFlight: Promise<string> | undefined;
let inFlightChoice: BackendChoice | undefined;

type TfModule = typeof Tf;

/** Loads native TensorFlow (@tensorflow/tfjs-node) if it is installed and loads; never throws. */
function tryNative(tf: TfModule): boolean {
  try {
    require('@tensorflow/tfjs-node');
    return tf.findBackend('tensorflow') !== undefined;
  } catch {
    return false;
  }
}

async function tryWasm(tf: TfModule): Promise<boolean> {
  try {
    const { setWasmPaths } = await import('@tensorflow/tfjs-backend-wasm');
    const dir = dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json'));
    setWasmPaths(join(dir, 'dist') + '/');
    return await tf.setBackend('wasm');
  } catch {
    return false;
  }
}

/**
 * Chooses the TensorFlow.js backend once per process: native tfjs-node where
 * it loads, else wasm, else cpu ('auto'), or exactly the one asked for.
 * The first call loads TensorFlow.js (@elasticity/core/tf).
 * The default comes from ELASTICITY_BACKEND (set by the CLI's --backend).
 * Logs which backend runs. Returns its name.
 */
export function initBackend(choice: BackendChoice = (process.env.ELASTICITY_BACKEND as BackendChoice | undefined) ?? 'auto'): Promise<string> {
  if (chosen !== undefined && (choice === 'auto' || choice === chosen)) return Promise.resolve(chosen);
  // Callers that arrive while a choice is under way wait for it instead of racing it;
  // a different explicit choice runs after it.
  if (inFlight !== undefined && (choice === 'auto' || choice === inFlightChoice)) return inFlight;
  const previous = inFlight ?? Promise.resolve('');
  const next = previous
    .catch(() => '')
    .then(() => (chosen !== undefined && (choice === 'auto' || choice === chosen) ? chosen : chooseBackend(choice)));
  inFlight = next;
  inFlightChoice = choice;
  void next.finally(() => {
    if (inFlight === next) inFlight = undefined;
  }).catch(() => undefined);
  return next;
}

async function chooseBackend(choice: BackendChoice): Promise<string> {
  if (!BACKEND_CHOICES.includes(choice)) {
    throw new ElasticityError(`unknown backend "${choice}" (choose one of ${BACKEND_CHOICES.join(', ')})`, { field: '--backend' });
  }
  const { tf } = await import('./tf.ts');
  let name: string | undefined;
  if ((choice === 'auto' || choice === 'tensorflow') && tryNative(tf) && (await tf.setBackend('tensorflow'))) name = 'tensorflow';
  else if (choice === 'tensorflow') throw new ElasticityError('native backend @tensorflow/tfjs-node is not installed or does not load here', { field: '--backend' });
  if (name === undefined && (choice === 'auto' || choice === 'wasm') && (await tryWasm(tf))) name = 'wasm';
  else if (name === undefined && choice === 'wasm') throw new ElasticityError('wasm backend failed to initialise', { field: '--backend' });
  if (name === undefined) {
    await tf.setBackend('cpu');
    name = 'cpu';
  }
  await tf.ready();
  chosen = name;
  log.info(`TensorFlow.js backend: ${name}${choice === 'auto' ? ' (auto: tensorflow > wasm > cpu)' : ''}`);
  return name;
}

/** The backend chosen by initBackend, or undefined before. */
export function currentBackend(): string | undefined {
  return chosen;
}
