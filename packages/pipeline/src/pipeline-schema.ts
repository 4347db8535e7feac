import { readFile } from 'node:fs/promises';
import { writeFileAtomic, z } from '@elasticity/core';
import type { SectionParser } from '@elasticity/core';
import { parseIngestConfig } from '@elasticity/datasets';
import { parseTrainConfig } from '@elasticity/training';
import { parseProbeConfig } from '@elasticity/probing';
import { parseNtkConfig } from '@elasticity/ntk';
import { parseSimilarityConfig } from '@elasticity/similarity';
import { parseClusterConfig } from '@elasticity/clustering';
import { parseReportConfig } from '@elasticity/report';
import { LABEL } from './matrix.ts';
import type { Pipeline } from './read-pipeline.ts';

/** Where `elasticity schema` writes the pipeline files' JSON Schema (relative to the workspace root). */
export const PIPELINE_SCHEMA_FILE = 'pipelines/pipeline.schema.json';

/** Each stage's section parser, in stage order; each carries its section name and zod schema. */
export const SECTION_PARSERS: readonly SectionParser<unknown>[] = [
  parseIngestConfig, parseTrainConfig, parseProbeConfig, parseNtkConfig, parseSimilarityConfig, parseClusterConfig, parseReportConfig,
];

/**
 * The sections a pipeline (or one matrix combination) runs with, each
 * through its stage's parser: every default applied, class names resolved.
 * This is what a run records as its parameters, so that two runs compare by
 * what they did, not by what their files spelled out.
 */
export function effectiveSections(pipeline: Pipeline): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const spec of pipeline.stages) {
    const parse = SECTION_PARSERS.find((p) => p.section === spec.section)!;
    out[spec.section] = parse(pipeline.sections[spec.section], pipeline.file);
  }
  return out;
}

const DOTTED_PATH = /^[A-Za-z0-9_$-]+(\.[A-Za-z0-9_$-]+)*$/;

/** The `matrix` key (matrix.ts checks it in full): axes of labelled overrides, or { path, values }. */
const MATRIX_SCHEMA = z.record(
  z.string().regex(LABEL),
  z.union([
    z.strictObject({
      path: z.union([z.string().regex(DOTTED_PATH), z.array(z.string().regex(DOTTED_PATH)).min(1)])
        .describe('Dotted path(s) into a section ("train.seed") set to each value.'),
      values: z.array(z.unknown()).min(1).describe('The values; each is a combination label of its own.'),
    }),
    z.record(z.string().regex(LABEL), z.record(z.string().regex(DOTTED_PATH), z.unknown()))
      .describe('Labelled values, each an object of overrides { "section.key": value } (null deletes the key).'),
  ]),
).describe('Named axes; every combination of one value per axis is a pipeline of its own (see packages/pipeline/src/matrix.ts).');

/**
 * A whole pipeline file: `$schema`, `description`, `matrix` and one section
 * per stage, each the stage package's own schema. For editors only (the
 * runner reads the file with readPipeline and each stage's parser).
 */
export const PIPELINE_SCHEMA = z.strictObject({
  $schema: z.string().optional().describe('This schema, for editors: "./pipeline.schema.json" (or "../pipeline.schema.json" one folder down).'),
  description: z.string().optional().describe('What the pipeline is for.'),
  ...Object.fromEntries(SECTION_PARSERS.map((p) => [p.section, p.schema.optional()])),
  matrix: MATRIX_SCHEMA.optional(),
}).describe('An elasticity pipeline (pipelines/NAME.json): one section per stage; stages whose section is left out use their defaults or, when optional, do not run.');

/** The JSON Schema (draft 2020-12) of pipeline files: what a user may write, with defaults and descriptions. */
export function pipelineJsonSchema(): Record<string, unknown> {
  const json = z.toJSONSchema(PIPELINE_SCHEMA, { io: 'input', target: 'draft-2020-12' });
  return { $schema: json.$schema, title: 'Elasticity pipeline', ...json };
}

/** The text of pipelines/pipeline.schema.json: the JSON Schema, two-space indented, with a final newline. */
export function pipelineSchemaText(): string {
  return `${JSON.stringify(pipelineJsonSchema(), null, 2)}\n`;
}

/** Writes the JSON Schema to `file` (atomically). */
export async function writePipelineSchema(file: string): Promise<void> {
  await writeFileAtomic(file, pipelineSchemaText());
}

/** Whether `file` holds exactly the JSON Schema of the current code (false when missing). */
export async function pipelineSchemaIsCurrent(file: string): Promise<boolean> {
  const text = await readFile(file, 'utf8').catch(() => undefined);
  return text === pipelineSchemaText();
}
