/**
 * The mathjs parser, loaded on first use so that importing deltagraph does not pay for mathjs
 * (about half a second in Node). The ES-module build replaces this file by mathjs-loader.esm.ts,
 * which imports it statically (an ES module cannot load a module synchronously on demand).
 */
import type { MathNode } from 'mathjs' with { 'resolution-mode': 'import' };

// CommonJS's require, declared here so that the universal sources type-check without Node's types.
declare const require: (id: string) => unknown;

let parse: ((text: string) => MathNode) | undefined;

/** mathjs's parse. */
export function mathjsParse(): (text: string) => MathNode {
  if (parse === undefined) {
    const mathjs = require('mathjs') as typeof import('mathjs', { with: { 'resolution-mode': 'import' } });
    parse = (text: string) => mathjs.parse(text);
  }
  return parse;
}
