// npm run build: the package as users get it, in dist/.
//   dist/cjs/      CommonJS, one file per source file, with .d.ts declarations (tsc): what Node runs,
//                  for require() and (through dist/node/) for import, so that a process holds one
//                  copy of the library whichever way it is loaded
//   dist/node/     ES-module entries for Node: named re-exports of dist/cjs (.mjs, .d.mts)
//   dist/esm/      ES modules, one file per universal source file (esbuild), with declarations:
//                  what browsers, workers and bundlers get; no Node built-in anywhere
//   dist/browser/  one self-contained ES module for a plain <script type="module"> (esbuild bundle)
//   dist/gemm.wasm the SIMD matmul kernel as a file (the JavaScript carries it inside already)
// tsc compiles and emits declarations because it is the type checker; esbuild transforms and bundles
// the ES modules because it is fast and needs no configuration of module formats.
// The build is skipped when dist/ is newer than every input (npm pack runs prepack and prepare);
// --force rebuilds. It reports on stderr, so that `npm pack --json` prints JSON alone.
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(root, 'dist');
const stamp = join(dist, '.built');
const require = createRequire(import.meta.url);

/** Folders (and files) of the universal face: everything that runs without Node. */
const UNIVERSAL = ['index.ts', 'lib', 'graph', 'ops', 'check', 'nn', 'expr', 'viz', 'interop'];
/** Everything the build reads. */
const INPUTS = [...UNIVERSAL, 'node', 'bin', 'types', 'tsconfig.json', 'tsconfig.build.json', 'package.json', 'scripts/build.mjs'];

/** The public subpaths: [subpath, universal entry, Node entry] (paths without extension). */
export const ENTRIES = [
  ['.', 'index', 'node/index'],
  ['./nn', 'nn/index', 'node/nn'],
  ['./check', 'check/index', 'check/index'],
  ['./expr', 'expr/index', 'expr/index'],
  ['./viz', 'viz/index', 'node/viz'],
];

function files(path) {
  const full = join(root, path);
  if (!existsSync(full)) return [];
  if (!statSync(full).isDirectory()) return [path];
  return readdirSync(full).flatMap((name) => files(join(path, name)));
}

function newestInput() {
  return Math.max(...INPUTS.flatMap(files).map((f) => statSync(join(root, f)).mtimeMs));
}

function write(path, text) {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, text);
}

/**
 * Gives every relative import of a module at `from` (a path like 'nn/index', relative to the
 * sources) the full file name that an ES module needs: './x' → './x.js', './dir' → './dir/index.js'.
 */
function withExtensions(text, from) {
  return text.replace(/(\bfrom\s*|\bimport\s*\(\s*|\bimport\s+)(['"])(\.\.?\/[^'"]*|\.\.?)\2/g, (all, lead, quote, spec) => {
    if (spec.endsWith('.js')) return all;
    const target = join(dirname(from), spec);
    if (existsSync(join(root, `${target}.ts`))) return `${lead}${quote}${spec}.js${quote}`;
    if (existsSync(join(root, target, 'index.ts'))) return `${lead}${quote}${spec}/index.js${quote}`;
    throw new Error(`build: cannot resolve '${spec}' imported by ${from}`);
  });
}

function buildCommonJs() {
  execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', join(root, 'tsconfig.build.json')], { stdio: 'inherit' });
  write(join(dist, 'cjs', 'package.json'), '{ "type": "commonjs" }\n');
  copyFileSync(join(root, 'node', 'gemm-worker.js'), join(dist, 'cjs', 'node', 'gemm-worker.js'));
}

async function buildEsm(esbuild) {
  const sources = UNIVERSAL.flatMap(files).filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts') && !f.endsWith('.esm.ts'));
  for (const file of sources) {
    const base = file.slice(0, -3);
    // A file with an .esm.ts sibling is replaced by it in this build (see expr/mathjs-loader.ts).
    const source = existsSync(join(root, `${base}.esm.ts`)) ? `${base}.esm.ts` : file;
    const { code } = await esbuild.transform(readFileSync(join(root, source), 'utf8'), { loader: 'ts', format: 'esm', target: 'es2022', sourcefile: source });
    write(join(dist, 'esm', `${base}.js`), withExtensions(code, base));
    const declarations = readFileSync(join(dist, 'cjs', `${base}.d.ts`), 'utf8');
    write(join(dist, 'esm', `${base}.d.ts`), withExtensions(declarations, base));
  }
  // Side-effect free but for the entry, ops/methods.js, which installs the Tensor methods (a
  // bundler must keep it even when only `tensor` is imported, or x.add(…) would be undefined), and
  // ops/batching/rules.js, which registers vmap's batching rules (without it vmap loops).
  write(join(dist, 'esm', 'package.json'), '{ "type": "module", "sideEffects": ["./index.js", "./ops/index.js", "./ops/methods.js", "./ops/batching/rules.js"] }\n');
}

/** ES-module entries for Node that re-export the CommonJS build by name. */
function buildNodeEntries() {
  for (const [subpath, , nodeEntry] of ENTRIES) {
    const name = subpath === '.' ? 'index' : subpath.slice(2);
    const target = `../cjs/${nodeEntry}.js`;
    const names = Object.keys(require(join(dist, 'cjs', `${nodeEntry}.js`))).filter((n) => n !== 'default' && n !== '__esModule');
    const js = `// deltagraph${subpath === '.' ? '' : subpath.slice(1)} as an ES module for Node: the CommonJS build, re-exported by name.\n` +
      `import cjs from '${target}';\n\nexport const {\n${names.map((n) => `  ${n},`).join('\n')}\n} = cjs;\n`;
    write(join(dist, 'node', `${name}.mjs`), js);
    write(join(dist, 'node', `${name}.d.mts`), `export * from '${target}';\n`);
  }
}

async function buildBrowserBundle(esbuild) {
  await esbuild.build({
    entryPoints: { deltagraph: join(dist, 'esm', 'index.js') },
    outdir: join(dist, 'browser'),
    bundle: true,
    splitting: true, // Graphviz (for renderSvg) becomes a chunk that loads on first use
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    minify: true,
    legalComments: 'linked',
    chunkNames: 'chunks/[name]-[hash]',
    logLevel: 'warning',
  });
}

function writeKernelFile() {
  const { GEMM_WASM_BASE64 } = require(join(dist, 'cjs', 'lib', 'kernels', 'gemm-wasm-bytes.js'));
  writeFileSync(join(dist, 'gemm.wasm'), Buffer.from(GEMM_WASM_BASE64, 'base64'));
}

async function main() {
  const force = process.argv.includes('--force');
  if (!force && existsSync(stamp) && statSync(stamp).mtimeMs >= newestInput()) {
    console.error('dist/ is up to date (npm run build -- --force rebuilds)');
    return;
  }
  const started = Date.now();
  rmSync(dist, { recursive: true, force: true });
  const esbuild = await import('esbuild');
  buildCommonJs();
  await buildEsm(esbuild);
  buildNodeEntries();
  await buildBrowserBundle(esbuild);
  writeKernelFile();
  writeFileSync(stamp, `${new Date().toISOString()}\n`);
  console.error(`built ${relative(process.cwd(), dist) || 'dist'}/ in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

const isMain = process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1];
if (isMain) {
  main().catch((e) => {
    console.error(e instanceof Error ? e.message : e);
    process.exit(1);
  });
}
