import type { Argv } from 'yargs';
import { ElasticityError } from '@elasticity/core/light';
import type { CommandBody } from '../command-body.ts';

interface SchemaArgs {
  out?: string;
  check: boolean;
}

/** `elasticity schema`: writes (or checks) the JSON Schema of pipeline files that editors validate against. */
export const schemaCommand = {
  builder: (y: Argv) =>
    y
      .option('out', { type: 'string', describe: 'file to write (default: the one pipeline files name in "$schema")' })
      .option('check', { type: 'boolean', default: false, describe: 'write nothing; fail if the file is not what the code generates' }),
  handler: async (args: SchemaArgs) => {
    // The schema is built from every stage's config schema: the stage packages load only here.
    const { PIPELINE_SCHEMA_FILE, pipelineSchemaIsCurrent, writePipelineSchema } = await import('@elasticity/pipeline/schema');
    const out = args.out ?? PIPELINE_SCHEMA_FILE;
    if (args.check) {
      if (!(await pipelineSchemaIsCurrent(out))) {
        throw new ElasticityError('is missing or out of date; regenerate it with `elasticity schema`', { file: out });
      }
      process.stdout.write(`${out} is up to date\n`);
      return;
    }
    await writePipelineSchema(out);
    process.stdout.write(`wrote ${out}\n`);
  },
} satisfies CommandBody;
