/**
 * mathjs as the parser of formulas, and nothing else: it turns text into a syntax tree, which
 * compile.ts turns into ops. mathjs is loaded on the first parse (mathjs-loader.ts).
 */
import type { MathNode } from 'mathjs' with { 'resolution-mode': 'import' };
import { ExpressionError, ExpressionSyntaxError } from './errors';
import { mathjsParse } from './mathjs-loader';

/** The mathjs syntax tree of one formula. */
export function parseFormula(text: string): MathNode {
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
