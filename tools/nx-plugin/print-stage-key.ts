/**
 * The `runtime` input of every pipeline target (see stage-key.ts).
 * Usage: node --import tsx tools/nx-plugin/print-stage-key.ts pipelines/NAME.json STAGE [INSTANCE_KEY]
 */
import { stageKey } from './stage-key.ts';

const [file, stage, instanceKey] = process.argv.slice(2);
if (!file || !stage) {
  process.stderr.write('usage: print-stage-key.ts PIPELINE_FILE STAGE [INSTANCE_KEY]\n');
  process.exit(2);
}
process.stdout.write(await stageKey(file, stage, instanceKey));
