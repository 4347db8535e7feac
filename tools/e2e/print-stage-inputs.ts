/**
 * Prints, as JSON, what Nx makes of the stage targets of one plain pipeline
 * in the workspace it runs in (the current folder): the project graph's
 * workspace and npm dependencies, and for each stage task the inputs Nx's
 * hash plan holds (files, runtime, external nodes). cache-keys.test.ts runs
 * it in a workspace copy, since Nx takes its workspace from the folder it
 * is loaded in.
 *
 * Usage: node --import tsx tools/e2e/print-stage-inputs.ts PROJECT
 */
import { createProjectGraphAsync } from 'nx/src/devkit-exports.js';
import { HashPlanInspector } from 'nx/src/hasher/hash-plan-inspector.js';

const [project] = process.argv.slice(2);
const graph = await createProjectGraphAsync({ exitOnError: true });
const inspector = new HashPlanInspector(graph);
await inspector.init();
const tasks: Record<string, unknown> = {};
for (const target of Object.keys(graph.nodes[project].data.targets ?? {})) {
  const inputs = inspector.inspectTaskInputs({ project, target }, {}, {}, true);
  tasks[target] = inputs[`${project}:${target}`];
}
const dependencies = Object.fromEntries(Object.entries(graph.dependencies).map(([source, deps]) => [source, deps.map((d) => d.target)]));
const externalNodes = Object.fromEntries(Object.entries(graph.externalNodes ?? {}).map(([name, node]) => [name, node.data.packageName]));
process.stdout.write(JSON.stringify({ projects: Object.keys(graph.nodes), dependencies, externalNodes, tasks }));
