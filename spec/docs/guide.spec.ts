/**
 * docs/guide.md cannot rot: every ```ts block in it is a program that is type-checked against the
 * package and run, and what it prints must be, character for character, the ```text block that
 * follows it.
 *
 * A block whose first line is `// continues the previous example` runs after the blocks before
 * it (back to the last block without that line), in one module scope; only its own output is
 * compared. Examples import from 'deltagraph' and from nothing else.
 */
import { existsSync, readFileSync } from 'fs';
import { dirname, join, resolve } from 'path';
import { format } from 'util';
import * as ts from 'typescript';
import * as deltagraph from 'deltagraph';

const root = join(__dirname, '..', '..');
const guidePath = join(root, 'docs', 'guide.md');
const CONTINUES = '// continues the previous example';

interface Example {
  /** 1-based line of the block's first code line in guide.md. */
  line: number;
  code: string;
  expected: string;
  /** The blocks this one runs after (its chain, earlier blocks first), itself last. */
  chain: Example[];
}

/** The ```ts blocks of the guide, each with the ```text block that must follow it. */
function examples(markdown: string): Example[] {
  const lines = markdown.split('\n');
  const found: Example[] = [];
  const fence = (start: number): { body: string; end: number } => {
    let end = start + 1;
    while (end < lines.length && lines[end] !== '```') end++;
    if (end >= lines.length) throw new Error(`guide.md: the block opened at line ${start + 1} is never closed`);
    return { body: lines.slice(start + 1, end).join('\n'), end };
  };
  for (let i = 0; i < lines.length; i++) {
    if (lines[i] !== '```ts') continue;
    const code = fence(i);
    let j = code.end + 1;
    while (j < lines.length && lines[j]!.trim() === '') j++;
    if (lines[j] !== '```text') throw new Error(`guide.md: the ts block at line ${i + 2} is not followed by a text block with its output`);
    const text = fence(j);
    const example: Example = { line: i + 2, code: code.body, expected: text.body, chain: [] };
    const previous = found[found.length - 1];
    example.chain = code.body.startsWith(CONTINUES) && previous !== undefined ? [...previous.chain, example] : [example];
    if (code.body.startsWith(CONTINUES) && previous === undefined) throw new Error(`guide.md: the block at line ${i + 2} continues nothing`);
    found.push(example);
    i = text.end;
  }
  return found;
}

/** Runs a chain of blocks as one CommonJS module; returns what each block printed. */
function run(chain: readonly Example[]): string[] {
  const source = chain.map((e) => e.code).join('\n__nextExample();\n');
  const js = ts.transpileModule(source, {
    compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true },
  }).outputText;
  const outputs: string[][] = [[]];
  const fakeConsole = { log: (...args: unknown[]) => void outputs[outputs.length - 1]!.push(format(...args)) };
  const fakeRequire = (name: string): unknown => {
    if (name === 'deltagraph') return deltagraph;
    throw new Error(`the guide's examples import from 'deltagraph' only, not from '${name}'`);
  };
  const module = { exports: {} };
  const body = new Function('require', 'module', 'exports', 'console', '__nextExample', js);
  body(fakeRequire, module, module.exports, fakeConsole, () => outputs.push([]));
  return outputs.map((lines) => lines.join('\n'));
}

const markdown = readFileSync(guidePath, 'utf8');
const all = examples(markdown);

describe('docs/guide.md', () => {
  it('has runnable examples, each with its output', () => {
    expect(all.length).toBeGreaterThanOrEqual(10);
    for (const e of all) expect(e.expected.length).toBeGreaterThan(0);
  });

  it.each(all.map((e) => [e.line, e] as const))('the example at line %i prints its text block', (_line, example) => {
    const outputs = run(example.chain);
    expect(outputs).toHaveLength(example.chain.length);
    expect(outputs[outputs.length - 1]).toBe(example.expected);
  });

  it('every example type-checks against the package', () => {
    const configFile = ts.readConfigFile(join(root, 'tsconfig.json'), ts.sys.readFile);
    const parsed = ts.parseJsonConfigFileContent(configFile.config, ts.sys, root);
    const options: ts.CompilerOptions = { ...parsed.options, noEmit: true };
    // One virtual file per chain, next to the guide, so that 'deltagraph' resolves as it does for the package.
    const chains = all.filter((e, i) => all[i + 1]?.chain[0] !== e.chain[0]).map((e) => e.chain);
    const files = new Map(chains.map((chain, k) => [resolve(root, 'docs', `__guide_example_${k}.ts`), chain] as const));
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
    const problems = ts
      .getPreEmitDiagnostics(program)
      .filter((d) => d.file === undefined || files.has(resolve(d.file.fileName)))
      .map((d) => {
        const message = ts.flattenDiagnosticMessageText(d.messageText, '\n');
        if (d.file === undefined || d.start === undefined) return message;
        const chain = files.get(resolve(d.file.fileName))!;
        let line = d.file.getLineAndCharacterOfPosition(d.start).line;
        for (const e of chain) {
          const n = e.code.split('\n').length;
          if (line < n) return `guide.md line ${e.line + line}: ${message}`;
          line -= n;
        }
        return message;
      });
    expect(problems).toEqual([]);
  }, 120_000);

  it('opens with a section that links the op reference and the errata', () => {
    const first = markdown.split('\n## ')[1] ?? '';
    expect(first).toContain('](ops.md)');
    expect(first).toContain('](errata.md)');
  });

  it('links only to files that exist', () => {
    const links = [...markdown.matchAll(/\]\(([^)#\s]+)(?:#[^)]*)?\)/g)].map((m) => m[1]!).filter((l) => !/^[a-z]+:/.test(l));
    expect(links.length).toBeGreaterThan(0);
    for (const link of links) expect([link, existsSync(resolve(dirname(guidePath), link))]).toEqual([link, true]);
  });
});
