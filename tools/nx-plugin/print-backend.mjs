/**
 * The `runtime` input of the stages whose numbers depend on where
 * TensorFlow.js runs (train, probe, ntk, and similarity when it trains the
 * autoencoder or reads activation patterns): prints the backend a stage
 * started now would use and the Node major version, e.g.
 * "tfjs-backend=wasm node=20".
 *
 * The backend follows core's initBackend (packages/core/src/backend.ts):
 * ELASTICITY_BACKEND (the CLI's --backend) when it names one, else auto:
 * tensorflow if @tensorflow/tfjs-node loads, else wasm if its package is
 * installed, else cpu. tfjs-node is only loaded when it is installed, so on
 * machines without it this costs a module resolution. Nx runs one runtime
 * command once per `nx` process (it caches the output by command line), not
 * once per task.
 *
 * Plain JavaScript, so Node starts it without tsx.
 */
import { createRequire } from 'node:module';
import { join } from 'node:path';

/** The backend a stage would run on, resolving packages from core as backend.ts does. */
function tfjsBackend() {
  const asked = process.env.ELASTICITY_BACKEND;
  if (asked === 'tensorflow' || asked === 'wasm' || asked === 'cpu') return asked;
  const require = createRequire(join(process.cwd(), 'packages/core/src/backend.ts'));
  const loads = (id, resolveOnly) => {
    try {
      if (resolveOnly) require.resolve(id);
      else require(id);
      return true;
    } catch {
      return false;
    }
  };
  if (loads('@tensorflow/tfjs-node', true) && loads('@tensorflow/tfjs-node', false)) return 'tensorflow';
  return loads('@tensorflow/tfjs-backend-wasm/package.json', true) ? 'wasm' : 'cpu';
}

process.stdout.write(`tfjs-backend=${tfjsBackend()} node=${process.versions.node.split('.')[0]}\n`);
