/**
 * The machinery behind the specs that keep a markdown document true to the code
 * (spec/docs/guide.spec.ts, spec/docs/nets.spec.ts): every ```ts block of the document is a program
 * that is type-checked against the package and run, and what it prints must be, character for
 * character, the ```text block that follows it.
 *
 * A block whose first line is `// continues the previous example` runs after the blocks before
 * it (back to the last block without that line), in one module scope; only its own output is
 * compared. Examples import from 'deltagraph' and from nothing else, unless the document's spec
 * lends them more modules; they may await at the top level (the blocks run as the body of an async
 * function). A document whose examples need a module that does not work inside jest's sandbox
 * (onnxruntime-node's native binding checks typed arrays against its own realm's) runs them in a
 * Node process of their own, as a user's program runs.
 */
import { execFileSync } from 'child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { basename, dirname, join, resolve } from 'path';
import { format } from 'util';
import * as ts from 'typescript';
import * as deltagraph from 'deltagraph';

export const root = join(__dirname, '..', '..');
export const CONTINUES = '// continues the previous example';

export interface Example {
  /** 1-based line of the block's first code line in the document. */
  line: number;
  code: string;
  expected: string;
  /** The blocks this one runs after (its chain, earlier blocks first), itself last. */
  chain: Example[];
}

/** A document of docs/ and its examples. */
export interface MarkdownDoc {
  /** The file name, e.g. guide.md (what messages name). */
  name: string;
  path: string;
  markdown: string;
  examples: Example[];
  /** The modules the examples may import besides 'deltagraph', by name. */
  modules: Record<string, unknown>;
  /** When set, the examples run in a Node process of their own and may import these packages too. */
  processModules: readonly string[] | null;
}

export interface MarkdownDocOptions {
  /** Modules lent to the examples (run inside jest), by the name they import. */
  modules?: Record<string, unknown>;
  /** Run the examples in a Node process of their own, where they may import these packages too. */
  processModules?: readonly string[];
}

/** Reads docs/<name> and extracts its examples. */
export function markdownDoc(name: string, options: MarkdownDocOptions = {}): MarkdownDoc {
  const path = join(root, 'docs', name);
  const markdown = readFileSync(path, 'utf8');
  return { name, path, markdown, examples: examples(markdown, name), modules: options.modules ?? {}, processModules: options.processModules ?? null };
}

/** The ```ts blocks of a document, each with the ```text block that must follow it. */
export function examples(markdown: string, name: string): Example[] {
  const lines = markdown.split('\n');
  const found: Example[] = [];
  const fence = (start: number): { body: string; end: number } => {
    let end = start + 1;
    while (end < lines.length && lines[end] !== '```') end++;
    if (end >= lines.length) throw new Error(`${name}: the block opened at line ${start + 1} is never closed`);
    return { body: lines.slice(start + 1, end).join('\n'), end };
  };
  for (let i = 0; i < lines.length; i++) {
    if (lines[i] !== '```ts') continue;
    const code = fence(i);
    let j = code.end + 1;
    while (j < lines.length && lines[j]!.trim() === '') j++;
    if (lines[j] !== '```text') throw new Error(`${name}: the ts block at line ${i + 2} is not followed by a text block with its output`);
    const text = fence(j);
    const example: Example = { line: i + 2, code: code.body, expected: text.body, chain: [] };
    const previous = found[found.length - 1];
    example.chain = code.body.startsWith(CONTINUES) && previous !== undefined ? [...previous.chain, example] : [example];
    if (code.body.startsWith(CONTINUES) && previous === undefined) throw new Error(`${name}: the block at line ${i + 2} continues nothing`);
    found.push(example);
    i = text.end;
  }
  return found;
}

const AsyncFunction = Object.getPrototypeOf(async () => {}).constructor as new (...args: string[]) => (...values: unknown[]) => Promise<void>;

/** Runs a chain of blocks as one CommonJS module (an async one); resolves to what each block printed. */
export async function run(chain: readonly Example[], modules: Record<string, unknown> = {}): Promise<string[]> {
  const js = chainScript(chain);
  const outputs: string[][] = [[]];
  const fakeConsole = { log: (...args: unknown[]) => void outputs[outputs.length - 1]!.push(format(...args)) };
  const fakeRequire = (name: string): unknown => {
    if (name === 'deltagraph') return deltagraph;
    if (Object.prototype.hasOwnProperty.call(modules, name)) return modules[name];
    throw new Error(`the examples import from ${['deltagraph', ...Object.keys(modules)].map((m) => `'${m}'`).join(', ')} only, not from '${name}'`);
  };
  const module = { exports: {} };
  const body = new AsyncFunction('require', 'module', 'exports', 'console', '__nextExample', js);
  await body(fakeRequire, module, module.exports, fakeConsole, () => outputs.push([]));
  return outputs.map((lines) => lines.join('\n'));
}

/** The JavaScript of a chain of blocks (CommonJS), blocks separated by calls of __nextExample. */
function chainScript(chain: readonly Example[]): string {
  const source = chain.map((e) => e.code).join('\n__nextExample();\n');
  return ts.transpileModule(source, {
    compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true },
  }).outputText;
}

/**
 * Runs chains of blocks in one Node process of their own (working directory: the project's root),
 * each chain in a scope of its own, 'deltagraph' being the sources as the package's Node face;
 * returns what each block of each chain printed.
 */
export function runInProcess(chains: ReadonlyArray<readonly Example[]>, allowed: readonly string[]): string[][] {
  const dir = mkdtempSync(join(tmpdir(), 'dg-doc-'));
  const program = join(dir, 'examples.cjs');
  writeFileSync(program, `
const { format } = require('util');
require(${JSON.stringify(join(root, 'node_modules', 'ts-node'))}).register({ transpileOnly: true, compilerOptions: { module: 'commonjs' } });
const entry = ${JSON.stringify(join(root, 'node', 'index.ts'))};
const allowed = ${JSON.stringify(allowed)};
const fromRoot = require('module').createRequire(${JSON.stringify(join(root, 'package.json'))});
const exampleRequire = (name) => {
  if (name === 'deltagraph') return fromRoot(entry);
  if (allowed.includes(name)) return fromRoot(name);
  throw new Error("the examples import from 'deltagraph', " + allowed.map((m) => "'" + m + "'").join(', ') + ' only, not from ' + name);
};
const AsyncFunction = Object.getPrototypeOf(async () => {}).constructor;
const scripts = ${JSON.stringify(chains.map(chainScript))};
(async () => {
  const all = [];
  for (const script of scripts) {
    const outputs = [[]];
    const exampleConsole = { log: (...args) => void outputs[outputs.length - 1].push(format(...args)) };
    const module_ = { exports: {} };
    await new AsyncFunction('require', 'module', 'exports', 'console', '__nextExample', script)(
      exampleRequire, module_, module_.exports, exampleConsole, () => outputs.push([]),
    );
    all.push(outputs.map((lines) => lines.join('\\n')));
  }
  process.stdout.write(JSON.stringify(all));
})().catch((e) => { process.stderr.write(String((e && e.stack) || e)); process.exitCode = 1; });
`);
  try {
    return JSON.parse(execFileSync(process.execPath, [program], { cwd: root, encoding: 'utf8', maxBuffer: 1 << 26 })) as string[][];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * The type errors of the examples, each as "<name> line N: message" (empty when they all
 * type-check). One virtual file per chain, next to the document, so that 'deltagraph' resolves as
 * it does for the package.
 */
export function typeProblems(doc: MarkdownDoc): string[] {
  const all = doc.examples;
  const configFile = ts.readConfigFile(join(root, 'tsconfig.json'), ts.sys.readFile);
  const parsed = ts.parseJsonConfigFileContent(configFile.config, ts.sys, root);
  // ES2022 modules for the check only: it is what allows an example's top-level await.
  const options: ts.CompilerOptions = { ...parsed.options, noEmit: true, module: ts.ModuleKind.ES2022 };
  const chains = all.filter((e, i) => all[i + 1]?.chain[0] !== e.chain[0]).map((e) => e.chain);
  const stem = basename(doc.name, '.md');
  const files = new Map(chains.map((chain, k) => [resolve(dirname(doc.path), `__${stem}_example_${k}.ts`), chain] as const));
  const host = ts.createCompilerHost(options);
  const sourceOf = (chain: readonly Example[]) => chain.map((e) => e.code).join('\n');
  const { fileExists, readFile, getSourceFile } = host;
  host.fileExists = (f) => files.has(resolve(f)) || fileExists.call(host, f);
  host.readFile = (f) => (files.has(resolve(f)) ? sourceOf(files.get(resolve(f))!) : readFile.call(host, f));
  host.getSourceFile = (f, language, ...rest) => {
    const chain = files.get(resolve(f));
    return chain !== undefined ? ts.createSourceFile(f, sourceOf(chain), language) : getSourceFile.call(host, f, language, ...rest);
  };
  const program = ts.createProgram([...files.keys()], options, host);
  // The diagnostics of the examples' own files and those of no file: the checker then checks the
  // package's sources only as far as the examples use them.
  const examplesFiles = program.getSourceFiles().filter((f) => files.has(resolve(f.fileName)));
  const diagnostics = [
    ...program.getConfigFileParsingDiagnostics(),
    ...program.getOptionsDiagnostics(),
    ...program.getGlobalDiagnostics(),
    ...examplesFiles.flatMap((f) => [...program.getSyntacticDiagnostics(f), ...program.getSemanticDiagnostics(f)]),
  ];
  return diagnostics
    .filter((d) => d.file === undefined || files.has(resolve(d.file.fileName)))
    .map((d) => {
      const message = ts.flattenDiagnosticMessageText(d.messageText, '\n');
      if (d.file === undefined || d.start === undefined) return message;
      const chain = files.get(resolve(d.file.fileName))!;
      let line = d.file.getLineAndCharacterOfPosition(d.start).line;
      for (const e of chain) {
        const n = e.code.split('\n').length;
        if (line < n) return `${doc.name} line ${e.line + line}: ${message}`;
        line -= n;
      }
      return message;
    });
}

/**
 * The tests every such document gets, registered inside the caller's describe: at least
 * `minimum` examples, each with an output; each prints its text block; all type-check.
 */
export function describeExamples(doc: MarkdownDoc, minimum: number): void {
  const all = doc.examples;
  it('has runnable examples, each with its output', () => {
    expect(all.length).toBeGreaterThanOrEqual(minimum);
    for (const e of all) expect(e.expected.length).toBeGreaterThan(0);
  });

  // In a process of their own, all chains run once, whole, in one process: a chain's outputs serve every block of it.
  let byChain: Map<Example, string[]> | null = null;
  const outputsOf = async (example: Example): Promise<string[]> => {
    if (doc.processModules === null) return run(example.chain, doc.modules);
    if (byChain === null) {
      const heads = [...new Set(all.map((e) => e.chain[0]!))];
      const outputs = runInProcess(heads.map((head) => all.filter((e) => e.chain[0] === head)), doc.processModules);
      byChain = new Map(heads.map((head, k) => [head, outputs[k]!]));
    }
    return byChain.get(example.chain[0]!)!.slice(0, example.chain.length);
  };
  it.each(all.map((e) => [e.line, e] as const))('the example at line %i prints its text block', async (_line, example) => {
    const outputs = await outputsOf(example);
    expect(outputs).toHaveLength(example.chain.length);
    expect(outputs[outputs.length - 1]).toBe(example.expected);
  }, 120_000);

  it('every example type-checks against the package', () => {
    expect(typeProblems(doc)).toEqual([]);
  }, 120_000);
}

/** The test that the document's relative links lead to files that exist. */
export function describeLinks(doc: MarkdownDoc): void {
  it('links only to files that exist', () => {
    const links = [...doc.markdown.matchAll(/\]\(([^)#\s]+)(?:#[^)]*)?\)/g)].map((m) => m[1]!).filter((l) => !/^[a-z]+:/.test(l));
    expect(links.length).toBeGreaterThan(0);
    for (const link of links) expect([link, existsSync(resolve(dirname(doc.path), link))]).toEqual([link, true]);
  });
}
