import { plural } from './plural.ts';
import type { PipelineResults } from './pipeline-results.ts';

/**
 * The facts of a run a reader looks for first, as [what, value] rows: the
 * code's commit, Node.js and library versions, backend, machine, seeds. The
 * per-file provenance and hashes follow them in the page, folded.
 */
export function provenanceFacts(r: PipelineResults): [string, string][] {
  const rows: [string, string][] = [];
  const env = r.metadata?.environment;
  if (env) {
    rows.push(['code', env.git ? `git commit ${env.git.commit} of ${env.git.date}${env.git.dirty ? ', with uncommitted changes to tracked files' : ''}` : 'not a git checkout']);
    rows.push(['Node.js', env.node]);
    const packages = Object.entries(env.packages);
    if (packages.length > 0) rows.push(['libraries', packages.map(([name, version]) => `${name} ${version}`).join(', ')]);
  }
  if (r.training) rows.push(['TensorFlow.js backend (training)', String(r.training.backend)]);
  if (r.training) rows.push(['kernel of the SGD steps', r.training.kernel === 'onnx' ? 'onnx (ONNX Runtime MatMul, deferred weight updates)' : 'tfjs (TensorFlow.js)']);
  if (env) rows.push(['machine (report stage)', `${env.machine.cpu}, ${plural(env.machine.cores, 'core')}, ${env.machine.memoryGiB} GiB, ${env.machine.os}`]);
  const seedOf = (stage: string) => r.metadata?.files.find((f) => f.stage === stage)?.seed;
  const ingestSeed = seedOf('ingest');
  const seeds = [
    ingestSeed !== undefined && ingestSeed !== null ? `data ${ingestSeed}` : undefined,
    r.training?.seed !== undefined ? `training ${String(r.training.seed)}` : undefined,
    r.clustering ? `clustering over ${plural(r.clustering.seeds, 'seed')}` : undefined,
  ].filter((s): s is string => s !== undefined);
  if (seeds.length > 0) rows.push(['seeds', seeds.join(', ')]);
  if (r.metadata) {
    rows.push(['files', `${plural(r.metadata.files.length, 'upstream Arrow file')} and ${plural(Object.keys(r.metadata.reportInputs).length, 'input')} of this report, with SHA-256 hashes (below)`]);
  }
  return rows;
}

/** The same facts as Markdown lines. */
export function provenanceMarkdown(r: PipelineResults): string[] {
  return provenanceFacts(r).map(([what, value]) => `- ${what}: ${value}`);
}
