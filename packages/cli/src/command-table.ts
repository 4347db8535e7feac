import type { CommandBody } from './command-body.ts';

export interface CommandEntry {
  /** The command with its positionals, as yargs reads it (the first word is its name). */
  command: string;
  /** One line for `elasticity --help`. */
  describe: string;
  /** The command's module: loaded only when this command runs (or shows its own --help). */
  load: () => Promise<CommandBody>;
}

/**
 * Every command of `elasticity`, in the order `--help` lists them. The
 * listing needs only this table, and a command loads only its own module,
 * whose handler imports the packages it runs: a stage process never loads
 * the other stages, and nothing but a TensorFlow.js stage loads TensorFlow.js.
 * Adding a command is one line here plus its module in commands/.
 */
export const COMMANDS: CommandEntry[] = [
  { command: 'run <pipeline>', describe: 'run a pipeline (pipelines/NAME.json) through Nx, re-running only stages whose inputs changed, and print its results table', load: async () => (await import('./commands/run.ts')).runCommand },
  { command: 'reproduce', describe: 'run the paper suite (every matrix pipeline in pipelines/paper/) at one scale through Nx, then write the combined report', load: async () => (await import('./commands/reproduce.ts')).reproduceCommand },
  { command: 'inspect <file>', describe: 'show an Arrow file\'s schema, metadata and first rows, and check it against its contract', load: async () => (await import('./commands/inspect.ts')).inspectCommand },
  { command: 'neighbours <file>', describe: 'print one probed example\'s elastic neighbours (--id N): the examples one step at it moves the most and the least, with values and classes', load: async () => (await import('./commands/neighbours.ts')).neighboursCommand },
  { command: 'table <folder>', describe: 'print the Table 1 layout of a results folder (one JSON per finished combination, from `run --results`): mean ± sd, missing combinations "–"', load: async () => (await import('./commands/table.ts')).tableCommand },
  { command: 'compare <a> <b>', describe: 'show the params and metrics that differ between two runs (table, or --json); training seconds only with --all', load: async () => (await import('./commands/compare.ts')).compareCommand },
  { command: 'schema', describe: 'write the JSON Schema of pipeline files (pipelines/pipeline.schema.json) for editors, from each stage\'s config schema', load: async () => (await import('./commands/schema.ts')).schemaCommand },
  { command: 'ingest', describe: 'select and scale the examples of the "dataset" section; writes dataset.arrow', load: async () => (await import('./commands/ingest.ts')).ingestCommand },
  { command: 'train', describe: 'train the model of the "train" section; writes model/, init/ and metrics.arrow', load: async () => (await import('./commands/train.ts')).trainCommand },
  { command: 'probe', describe: 'one-step SGD probes at every primary example; writes relative.arrow and kernelized.arrow (--shard I/K, --merge K for row shards)', load: async () => (await import('./commands/probe.ts')).probeCommand },
  { command: 'ntk', describe: 'neural tangent kernels over the primary examples; writes ntk.arrow (and ntk-infinite.arrow) (--shard I/K, --merge K for row shards)', load: async () => (await import('./commands/ntk.ts')).ntkCommand },
  { command: 'similarity', describe: 'symmetrised similarity matrices and baseline features; writes one .arrow each', load: async () => (await import('./commands/similarity.ts')).similarityCommand },
  { command: 'cluster', describe: 'cluster the primary examples with every method of the "cluster" section; writes clusters and metrics.json', load: async () => (await import('./commands/cluster.ts')).clusterCommand },
  { command: 'report', describe: 'collect a pipeline\'s results (--pipeline): results.json, report.md, report.html and figures; or with --all one report across every pipeline that has run', load: async () => (await import('./commands/report.ts')).reportCommand },
  { command: 'cache <action>', describe: 'a shared cache for Nx: `cache serve` runs a server for Nx\'s self-hosted remote cache protocol', load: async () => (await import('./commands/cache.ts')).cacheCommand },
  { command: 'download <dataset>', describe: 'download MNIST (IDX) or CIFAR-10 (binary version) into data/raw, verifying SHA-256 (needs network access)', load: async () => (await import('./commands/download.ts')).downloadCommand },
];

/** The entry of the command `argv` runs: the first word that names one (options and their values come before it or after). */
export function commandOf(argv: readonly string[]): CommandEntry | undefined {
  const byName = new Map(COMMANDS.map((c) => [c.command.split(' ')[0], c]));
  for (const word of argv) {
    const entry = byName.get(word);
    if (entry) return entry;
  }
  return undefined;
}
