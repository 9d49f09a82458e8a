/**
 * mathjs as the parser of formulas, and nothing else: it turns text into a syntax tree, which
 * compile.ts turns into ops. mathjs is loaded on the first parse, so that importing deltagraph
 * does not pay for loading it.
 */
import type { MathNode } from 'mathjs';
import { ExpressionError, ExpressionSyntaxError } from './errors';

let mathjsParse: ((text: string) => MathNode) | undefined;

/** The mathjs syntax tree of one formula. */
export function parseFormula(text: string): MathNode {
  if (mathjsParse === undefined) {
    const mathjs = require('mathjs') as typeof import('mathjs');
    mathjsParse = (t: string) => mathjs.parse(t);
  }
  let node: MathNode;
  try {
    node = mathjsParse(text);
  } catch (e) {
    throw new ExpressionSyntaxError(text, e instanceof Error ? e.message : String(e));
  }
  if (node.type === 'ConstantNode' && (node as MathNode & { value: unknown }).value === undefined) {
    throw new ExpressionError(text, 'the formula is empty');
  }
  return node;
}
