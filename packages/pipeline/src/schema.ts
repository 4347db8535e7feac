/**
 * The pipeline file's schema and validation: the entry that needs every
 * stage's section schema (and so imports every stage package). Reading and
 * planning pipelines (index.ts) does not.
 */
export { PIPELINE_SCHEMA, PIPELINE_SCHEMA_FILE, SECTION_PARSERS, pipelineJsonSchema, pipelineSchemaText, writePipelineSchema, pipelineSchemaIsCurrent, effectiveSections } from './pipeline-schema.ts';
export { validatePipeline } from './validate.ts';
