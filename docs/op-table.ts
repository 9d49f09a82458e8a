/**
 * Renders docs/ops.md, the table of every registered op with its forward formula and its VJP, from
 * the doc comments of the files under ops/ that the registry names. A primitive's formula is the
 * doc comment directly before `const op = defineOp`; a composite's is the doc comment directly
 * before `export function <name>`. spec/docs/op-table.spec.ts keeps the written file in step.
 *
 * Run directly (`npm run docs:ops`) it writes docs/ops.md.
 */
import { readFileSync, writeFileSync } from 'fs';
import { join } from 'path';
import { constantOps, registry } from '../ops/registry';
import type { RegistryEntry } from '../ops/registry';

export const OPS_DIR = join(__dirname, '..', 'ops');
export const OPS_MD = join(__dirname, 'ops.md');

/** Where an entry's formula comment must sit: the text that directly follows it. */
function anchorOf(entry: Pick<RegistryEntry, 'name' | 'kind'>): string {
  return entry.kind === 'primitive' ? 'const op = defineOp' : `export function ${entry.name}(`;
}

/**
 * The text of the doc comment that ends directly before `anchor` in `source` (only whitespace in
 * between), its lines stripped of the leading ` * `. A line that starts a VJP (a barred symbol
 * followed by `=`) is joined to the previous one by two spaces, any other line by one, so a
 * comment wrapped over several lines reads as one.
 */
export function docCommentBefore(source: string, anchor: string, where: string): string {
  const at = source.indexOf(anchor);
  if (at < 0) throw new Error(`op table: ${where} has no \`${anchor}\``);
  const before = source.slice(0, at).trimEnd();
  const start = before.lastIndexOf('/**');
  if (!before.endsWith('*/') || start < 0) {
    throw new Error(`op table: ${where} has no /** … */ doc comment directly before \`${anchor}\``);
  }
  const lines = before
    .slice(start + 3, before.length - 2)
    .split('\n')
    .map((line) => line.replace(/^\s*\*?\s?/, '').trimEnd())
    .filter((line) => line.length > 0);
  if (lines.length === 0) throw new Error(`op table: the doc comment before \`${anchor}\` in ${where} is empty`);
  return lines.reduce((text, line) => text + (startsVjp(line) ? '  ' : ' ') + line);
}

/** A VJP starts with a barred symbol (x̄, ā, B̄, x̄ᵢ …) and an equals sign. */
function startsVjp(text: string): boolean {
  return /^\p{L}\u0304\S* =/u.test(text.normalize('NFD'));
}

/**
 * Splits "y = …  x̄ = …" at the first two spaces that are followed by a VJP: the forward formula
 * and the VJP. A comment without that form is all formula, with an empty VJP.
 */
export function splitFormula(comment: string): { formula: string; vjp: string } {
  for (let i = comment.indexOf('  '); i >= 0; i = comment.indexOf('  ', i + 1)) {
    const rest = comment.slice(i).trimStart();
    const formula = comment.slice(0, i).trimEnd();
    if (startsVjp(rest) && formula.includes('=')) return { formula, vjp: rest };
  }
  return { formula: comment, vjp: '' };
}

/**
 * Escapes text for one Markdown table cell: pipes everywhere, and outside `code spans` the
 * characters that would otherwise start emphasis, links or HTML.
 */
export function cell(text: string): string {
  return text
    .split(/(`[^`]*`)/)
    .map((part, i) => (i % 2 === 1 ? part : part.replace(/[\\*_[\]<>]/g, (c) => `\\${c}`)))
    .join('')
    .replace(/\|/g, '\\|')
    .replace(/\s+/g, ' ');
}

export interface OpDoc {
  name: string;
  kind: RegistryEntry['kind'];
  file: string;
  formula: string;
  vjp: string;
}

/** The formula and VJP of one registry entry, read from ops/<file>.ts. */
export function opDoc(entry: Pick<RegistryEntry, 'name' | 'kind' | 'file'>): OpDoc {
  const path = `ops/${entry.file}.ts`;
  const source = readFileSync(join(OPS_DIR, `${entry.file}.ts`), 'utf8');
  const comment = docCommentBefore(source, anchorOf(entry), `${path} (op '${entry.name}')`);
  return { name: entry.name, kind: entry.kind, file: path, ...splitFormula(comment) };
}

const INTRO = `# Operations

Every op of the registry (\`ops/registry.ts\`), in its order, with its forward formula and its
vector-Jacobian product. This file is generated from the doc comments in \`ops/\` by
\`npm run docs:ops\`; a test fails when it is out of date.

Notation: \`g\` = ∂L/∂out is the gradient arriving at the op's output, shaped like the output;
x̄ = ∂L/∂x is the gradient the VJP returns for input \`x\`, shaped exactly like \`x\` (denominator
layout). ⊙ is the elementwise product, \`[p]\` is 1 where \`p\` holds and 0 elsewhere, and
\`sumTo(t, s)\` sums \`t\` down to shape \`s\`, undoing broadcasting. A *primitive* has a VJP of its
own; a *composite* is built from other ops and is differentiated through them, so its row gives
the formula and the resulting gradient.
`;

/** The whole of docs/ops.md. */
export function renderOpTable(): string {
  const rows = registry.map((entry) => {
    const d = opDoc(entry);
    return `| \`${d.name}\` | ${d.kind} | ${cell(d.formula)} | ${cell(d.vjp)} | [${d.file}](../${d.file}) |`;
  });
  const constants = constantOps.map((entry) => {
    const path = `ops/${entry.file}.ts`;
    const source = readFileSync(join(OPS_DIR, `${entry.file}.ts`), 'utf8');
    const comment = docCommentBefore(source, `export function ${entry.name}(`, `${path} (op '${entry.name}')`);
    return `| \`${entry.name}\` | ${cell(comment)} | [${path}](../${path}) |`;
  });
  return [
    INTRO, '| Op | Kind | Forward | VJP | File |', '| --- | --- | --- | --- | --- |', ...rows, '', CONSTANTS_INTRO,
    '| Op | Forward | File |', '| --- | --- | --- |', ...constants, '',
  ].join('\n');
}

const CONSTANTS_INTRO = `## Ops without a gradient

Their outputs are integer or 0/1 constants of their inputs (\`constantOps\` in the registry):
nothing flows back through them, and a backward pass treats what they return as a constant, as
PyTorch does. They can select (\`where(greater(x, 0), x, 0)\`) or label, never be differentiated.
`;

if (require.main === module) {
  writeFileSync(OPS_MD, renderOpTable());
  console.log(`wrote ${OPS_MD} (${registry.length} ops with a gradient, ${constantOps.length} without)`);
}
