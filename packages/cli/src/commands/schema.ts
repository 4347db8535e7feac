import type { Argv, CommandModule } from 'yargs';
import { ElasticityError } from '@elasticity/core';
import { PIPELINE_SCHEMA_FILE, pipelineSchemaIsCurrent, writePipelineSchema } from '@elasticity/pipeline/schema';

interface SchemaArgs {
  out: string;
  check: boolean;
}

/** `elasticity schema`: writes (or checks) the JSON Schema of pipeline files that editors validate against. */
export const schemaCommand: CommandModule<object, SchemaArgs> = {
  command: 'schema',
  describe: `write the JSON Schema of pipeline files (${PIPELINE_SCHEMA_FILE}) for editors, from each stage's config schema`,
  builder: (y: Argv) =>
    y
      .option('out', { type: 'string', default: PIPELINE_SCHEMA_FILE, describe: 'file to write' })
      .option('check', { type: 'boolean', default: false, describe: 'write nothing; fail if the file is not what the code generates' }) as unknown as Argv<SchemaArgs>,
  handler: async (args) => {
    if (args.check) {
      if (!(await pipelineSchemaIsCurrent(args.out))) {
        throw new ElasticityError('is missing or out of date; regenerate it with `elasticity schema`', { file: args.out });
      }
      process.stdout.write(`${args.out} is up to date\n`);
      return;
    }
    await writePipelineSchema(args.out);
    process.stdout.write(`wrote ${args.out}\n`);
  },
};
