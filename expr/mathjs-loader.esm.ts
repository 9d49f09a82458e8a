/** The mathjs parser for the ES-module build (see mathjs-loader.ts). */
import { type MathNode, parse } from 'mathjs';

/** mathjs's parse. */
export function mathjsParse(): (text: string) => MathNode {
  return parse;
}
