/**
 * mathjs as the parser of formulas, and nothing else: it turns text into a syntax tree, which
 * compile.ts turns into ops. mathjs is loaded on the first parse (mathjs-loader.ts).
 */
import type { MathNode } from 'mathjs' with { 'resolution-mode': 'import' };
import { ExpressionError, ExpressionSyntaxError } from './errors';
import { mathjsParse } from './mathjs-loader';

/** The mathjs syntax tree of one formula. */
/**
 * The deepest nesting of brackets mathjs's parser is given: it descends recursively, so deeper
 * text could overflow the call stack (long flat sums and products are fine, they loop).
 */
export const MAX_NESTING = 256;

export function parseFormula(text: string): MathNode {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 40 || c === 91 || c === 123) depth++; // ( [ {
    else if (c === 41 || c === 93 || c === 125) depth--;
    if (depth > MAX_NESTING) throw new ExpressionSyntaxError(text, `brackets are nested more than ${MAX_NESTING} deep (at character ${i + 1})`);
  }
  const parse = mathjsParse();
  let node: MathNode;
  try {
    node = parse(text);
  } catch (e) {
    throw new ExpressionSyntaxError(text, e instanceof Error ? e.message : String(e));
  }
  if (node.type === 'ConstantNode' && (node as MathNode & { value: unknown }).value === undefined) {
    throw new ExpressionError(text, 'the formula is empty');
  }
  return node;
}
