// The CLI as one JavaScript bundle of its TypeScript sources, made by esbuild
// and kept until a source changes: a process that runs it loads one file of
// plain JavaScript instead of hundreds of TypeScript modules through tsx's
// loader hooks (`elasticity --help`: 0.72 s through tsx, see
// tools/bench/results/cli-startup.json).
//
// - What is bundled: the CLI's entry and every module of the workspace
//   packages (@elasticity/*) it imports, with code splitting, so commands
//   still load lazily. The pure-JavaScript npm packages every command loads
//   (BUNDLED_PACKAGES: Arrow, yargs, zod, the ml-* ones…) and what they
//   import are bundled too: one file to compile instead of hundreds to find,
//   read and link (0.17 s of each stage's start-up on the 2-core machine).
//   Other npm packages (TensorFlow.js, ONNX Runtime, vega, fastify: native
//   code, wasm or assets found relative to their files) stay outside,
//   imported from where the importing package resolves them.
// - import.meta.url (and __dirname, __filename) of each bundled module is
//   that of its source file, so paths relative to a module (worker scripts,
//   createRequire, yargs's locales) point where they did in the sources. Worker threads still run their TypeScript
//   through tsx.
// - Where: node_modules/.cache/elasticity-cli/KEY/, KEY a hash of every
//   source file's path, size and modification time, of package-lock.json, of
//   the checkout's folder and of esbuild's version: an edit makes a new bundle
//   on the next start (about a second). Bundles not used for a day are
//   removed when a new one is made.
// - When the bundle cannot be made (esbuild missing, a build error), the
//   caller runs the sources through tsx (ELASTICITY_BUNDLE=0 forces that).
import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, utimesSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '../../..');
const ENTRY = join(ROOT, 'packages/cli/src/bin.ts');
/** (ELASTICITY_BUNDLE_CACHE: another folder, for tests) */
const CACHE = process.env.ELASTICITY_BUNDLE_CACHE ?? join(ROOT, 'node_modules/.cache/elasticity-cli');
const SOURCE = /\.(ts|mts|cts|js|mjs|cjs)$/;
const STALE_MS = 24 * 3600 * 1000;
/** npm packages bundled with the workspace modules (with everything they import): plain JavaScript with no native code, wasm or assets of their own. */
const BUNDLED_PACKAGES = new Set(['apache-arrow', 'yargs', 'zod', 'ml-matrix', 'ml-pca', 'linear-sum-assignment', 'pure-rand', 'fastest-levenshtein', 'cli-progress']);
const NODE_MODULES = `${'/'}node_modules${'/'}`;

/** The npm package a bare import names ('@scope/name' or 'name'). */
function packageName(specifier) {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

/** Every source file of the workspace packages (tests left out), sorted. */
function sourceFiles() {
  const files = [];
  const visit = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) {
        if (entry.name !== 'node_modules') visit(path);
      } else if (SOURCE.test(entry.name) && !/\.test\.[cm]?ts$/.test(entry.name)) files.push(path);
    }
  };
  for (const pkg of readdirSync(join(ROOT, 'packages'))) {
    const src = join(ROOT, 'packages', pkg, 'src');
    if (existsSync(src)) visit(src);
    const manifest = join(ROOT, 'packages', pkg, 'package.json');
    if (existsSync(manifest)) files.push(manifest);
  }
  return files.sort();
}

function bundleKey(esbuildVersion) {
  const hash = createHash('sha256').update(`esbuild ${esbuildVersion}\n${ROOT}\n`);
  for (const file of [...sourceFiles(), join(ROOT, 'package-lock.json'), fileURLToPath(import.meta.url)]) {
    const s = statSync(file);
    hash.update(`${relative(ROOT, file)} ${s.size} ${s.mtimeMs}\n`);
  }
  return hash.digest('hex').slice(0, 16);
}

/**
 * esbuild plugin: workspace modules, BUNDLED_PACKAGES and what those import
 * are bundled, each with its own import.meta.url (and __dirname, __filename);
 * other npm packages stay external, at the path their importer resolves.
 */
function workspacePlugin() {
  return {
    name: 'elasticity-workspace',
    setup(build) {
      build.onResolve({ filter: /^[^./]/ }, async (args) => {
        if (args.path.startsWith('@elasticity/') || args.pluginData === 'inner') return undefined;
        const fromBundledPackage = args.importer.includes(NODE_MODULES);
        if (!args.path.startsWith('node:') && (fromBundledPackage || BUNDLED_PACKAGES.has(packageName(args.path)))) return undefined;
        const found = await build.resolve(args.path, { kind: args.kind, resolveDir: args.resolveDir, pluginData: 'inner' });
        if (found.errors.length > 0 || !found.path) return { path: args.path, external: true };
        if (found.external) return { path: args.path, external: true };
        return { path: args.kind === 'require-call' ? found.path : pathToFileURL(found.path).href, external: true };
      });
      build.onLoad({ filter: SOURCE }, (args) => {
        const url = pathToFileURL(args.path).href;
        let text = readFileSync(args.path, 'utf8').replaceAll('import.meta.url', JSON.stringify(url));
        if (/\b__(dirname|filename)\b/.test(text) && !/\b(var|let|const|function)\s+__(dirname|filename)\b/.test(text)) {
          text = `var __filename = ${JSON.stringify(args.path)}, __dirname = ${JSON.stringify(dirname(args.path))};\n${text}`;
        }
        const loader = /\.[cm]?ts$/.test(args.path) ? 'ts' : 'js';
        return { contents: text, loader };
      });
    },
  };
}

/** The bundle's entry file, made when missing; undefined when it cannot be made. */
export async function cliBundle() {
  if (process.env.ELASTICITY_BUNDLE === '0') return undefined;
  let esbuildVersion;
  try {
    // (its version from its package.json: importing esbuild itself costs more than the rest of a start)
    esbuildVersion = JSON.parse(readFileSync(createRequire(import.meta.url).resolve('esbuild/package.json'), 'utf8')).version;
  } catch {
    return undefined;
  }
  const key = bundleKey(esbuildVersion);
  const dir = join(CACHE, key);
  const entry = join(dir, 'bin.js');
  if (existsSync(entry)) {
    utimesSync(dir, new Date(), new Date());
    return entry;
  }
  const staging = `${dir}.tmp-${process.pid}`;
  try {
    const esbuild = await import('esbuild');
    await esbuild.build({
      entryPoints: { bin: ENTRY },
      outdir: staging,
      bundle: true,
      splitting: true,
      format: 'esm',
      platform: 'node',
      target: 'node20',
      logLevel: 'silent',
      // CommonJS modules of the workspace (the apache-arrow shim) call require
      banner: { js: "import { createRequire as __elasticityRequire } from 'node:module'; const require = __elasticityRequire(import.meta.url);" },
      plugins: [workspacePlugin()],
    });
    mkdirSync(CACHE, { recursive: true });
    // bundles of other sources (other checkouts may share this folder through a linked node_modules) go after a day unused
    for (const old of readdirSync(CACHE)) {
      const path = join(CACHE, old);
      if (old !== key && Date.now() - statSync(path).mtimeMs > STALE_MS) rmSync(path, { recursive: true, force: true });
    }
    try {
      renameSync(staging, dir);
    } catch (error) {
      // another process made the same bundle first
      if (!existsSync(entry)) throw error;
      rmSync(staging, { recursive: true, force: true });
    }
    return entry;
  } catch {
    rmSync(staging, { recursive: true, force: true });
    return undefined;
  }
}
