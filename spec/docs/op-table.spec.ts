/**
 * docs/ops.md is generated from ops/ and must stay in step with it: the written file equals a fresh
 * rendering, every registered op has a row, and every file under ops/ that defines an op with
 * defineOp is named by the registry (so no op escapes the table or the registry's gradient checks).
 */
import { readFileSync, readdirSync } from 'fs';
import { join } from 'path';
import { constantOps, registry } from '../../ops';
import { OPS_DIR, OPS_MD, docCommentBefore, renderOpTable, splitFormula } from '../../docs/op-table';

describe('docs/ops.md', () => {
  const written = readFileSync(OPS_MD, 'utf8');

  it('equals renderOpTable()', () => {
    const fresh = renderOpTable();
    if (written !== fresh) {
      const a = written.split('\n');
      const b = fresh.split('\n');
      let line = 0;
      while (line < Math.max(a.length, b.length) && a[line] === b[line]) line++;
      throw new Error(
        'docs/ops.md is out of date with the doc comments in ops/: run `npm run docs:ops`.\n' +
          `First difference at line ${line + 1}:\n  written: ${a[line] ?? '(end of file)'}\n  fresh:   ${b[line] ?? '(end of file)'}`,
      );
    }
  });

  it('has a row for every registry op, with a gradient or without', () => {
    const rowNames = written
      .split('\n')
      .filter((line) => line.startsWith('| `'))
      .map((line) => /^\| `([^`]+)` \|/.exec(line)?.[1]);
    const names = [...registry, ...constantOps].map((e) => e.name);
    const missing = names.filter((name) => !rowNames.includes(name));
    expect(missing).toEqual([]);
    expect(rowNames).toHaveLength(names.length);
  });

  it('names, in the registry, every ops/ file that calls defineOp', () => {
    const registered = new Set(registry.map((e) => e.file));
    // Recursive: ops live in subfolders too (ops/activations/, ops/reduce/, …), named 'folder/file'.
    const defining = (readdirSync(OPS_DIR, { recursive: true }) as string[])
      .map((f) => f.split('\\').join('/'))
      .filter((f) => f.endsWith('.ts'))
      .filter((f) => /\bdefineOp\s*(<[^>]*>)?\s*\(/.test(readFileSync(join(OPS_DIR, f), 'utf8')))
      .map((f) => f.slice(0, -'.ts'.length));
    expect(defining.length).toBeGreaterThan(0);
    expect(defining.filter((f) => !registered.has(f))).toEqual([]);
  });

  it('names only files that exist, with the kind their source shows', () => {
    for (const e of registry) {
      const source = readFileSync(join(OPS_DIR, `${e.file}.ts`), 'utf8');
      const hasOp = /\bconst op = defineOp\b/.test(source);
      expect({ op: e.name, primitive: hasOp }).toEqual({ op: e.name, primitive: e.kind === 'primitive' });
    }
  });
});

describe('op table extraction', () => {
  it('splits "y = …  x̄ = …" into formula and VJP, and leaves other comments whole', () => {
    expect(splitFormula('y = −x.  x̄ = −g')).toEqual({ formula: 'y = −x.', vjp: 'x̄ = −g' });
    expect(splitFormula('c = a + b.  ā = g,  b̄ = g')).toEqual({ formula: 'c = a + b.', vjp: 'ā = g,  b̄ = g' });
    expect(splitFormula('L = mean(x). A composite.')).toEqual({ formula: 'L = mean(x). A composite.', vjp: '' });
  });

  it('reads the doc comment directly before the anchor, joining a wrapped VJP line by two spaces', () => {
    const source = ['/** not this one */', 'const a = 1;', '/**', ' * y = f(x),', ' * wrapped.', ' * x̄ = g', ' */', 'const op = defineOp({'].join('\n');
    expect(docCommentBefore(source, 'const op = defineOp', 'test')).toBe('y = f(x), wrapped.  x̄ = g');
    expect(() => docCommentBefore('/** far */\nconst x = 1;\nconst op = defineOp({', 'const op = defineOp', 'test')).toThrow(
      /no \/\*\* … \*\/ doc comment/,
    );
  });
});
