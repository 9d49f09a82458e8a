/**
 * The subscripts of einsum ('ij,jk->ik', 'bii->bi', '...ij,...jk', …) read into labels: the syntax
 * checks only (characters, arrows, ellipses, the output's letters). What depends on the operands'
 * shapes (ranks, sizes, broadcasting of the ellipsis) is checked by einsum itself.
 */
import { ArgumentError, describe } from '../../lib';

/**
 * The number of letter labels: 'A'–'Z' are 0–25 and 'a'–'z' 26–51, so that sorting labels sorts
 * the letters as their character codes do (the order of the implicit output in NumPy and torch).
 */
export const LETTER_LABELS = 52;

/** The label of a letter a–z or A–Z, or −1 for any other character. */
export function labelOf(c: string): number {
  const code = c.charCodeAt(0);
  if (code >= 65 && code <= 90) return code - 65;
  if (code >= 97 && code <= 122) return code - 97 + 26;
  return -1;
}

/** The letter of a label below LETTER_LABELS. */
export function letterOf(label: number): string {
  return String.fromCharCode(label < 26 ? 65 + label : 97 + label - 26);
}

/** The subscripts of one operand or of the output. */
export interface Term {
  /** The letters' labels, in order. */
  labels: number[];
  /** Where '...' stands: the number of letters before it, or −1 when the term has none. */
  ellipsis: number;
}

export interface EinsumSpec {
  /** The spec without its whitespace, for messages. */
  text: string;
  /** One term per operand. */
  inputs: Term[];
  /**
   * The output. Implicit (no '->'): '...' when an input has one, then the letters that appear
   * exactly once over all inputs, in alphabetical order (capitals first), as NumPy and torch.
   */
  output: Term;
  /** Whether the spec gave the output after '->'. */
  explicit: boolean;
}

function termOf(text: string, where: string, spec: string): Term {
  const labels: number[] = [];
  let ellipsis = -1;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    const label = labelOf(c);
    if (label >= 0) {
      labels.push(label);
    } else if (c === '.') {
      if (text.slice(i, i + 3) !== '...') {
        throw new ArgumentError(`einsum: spec ${JSON.stringify(spec)} has a '.' in ${where} that is not part of an ellipsis '...'`);
      }
      if (ellipsis >= 0) throw new ArgumentError(`einsum: spec ${JSON.stringify(spec)} has more than one ellipsis '...' in ${where}; expected at most one`);
      ellipsis = labels.length;
      i += 2;
    } else {
      throw new ArgumentError(
        `einsum: spec ${JSON.stringify(spec)} has the character ${JSON.stringify(c)} in ${where}; expected the letters a–z and A–Z, '...', ',' between operands and one '->'`,
      );
    }
  }
  return { labels, ellipsis };
}

/**
 * Reads an einsum spec for `operands` operands. Whitespace anywhere is ignored. Every error is an
 * ArgumentError naming einsum and the spec: a spec that is not a string, a character other than
 * letters, ',', '->' and '...', a stray '.', two ellipses in one term, more than one '->', a
 * number of comma-separated terms other than the number of operands, and an output that repeats
 * a letter or names one that no input has.
 */
export function parseEinsum(spec: unknown, operands: number): EinsumSpec {
  if (typeof spec !== 'string') {
    throw new ArgumentError(`einsum: spec must be a string of subscripts such as 'ij,jk->ik', got ${describe(spec)}`);
  }
  if (operands === 0) throw new ArgumentError(`einsum: needs at least one operand after the spec ${JSON.stringify(spec)}, got none`);
  const text = spec.replace(/\s+/g, '');
  const sides = text.split('->');
  if (sides.length > 2) throw new ArgumentError(`einsum: spec ${JSON.stringify(text)} has ${sides.length - 1} '->'; expected at most one`);
  const parts = sides[0]!.split(',');
  if (parts.length !== operands) {
    throw new ArgumentError(
      `einsum: spec ${JSON.stringify(text)} has subscripts for ${parts.length} operand${parts.length === 1 ? '' : 's'}, but ${operands} operand${operands === 1 ? ' was' : 's were'} given`,
    );
  }
  const inputs = parts.map((p, k) => termOf(p, `the subscripts of operand ${k}`, text));
  const counts = new Array<number>(LETTER_LABELS).fill(0);
  for (const term of inputs) for (const l of term.labels) counts[l]!++;
  const anyEllipsis = inputs.some((term) => term.ellipsis >= 0);

  if (sides.length === 1) {
    const labels = counts.flatMap((n, l) => (n === 1 ? [l] : []));
    return { text, inputs, output: { labels, ellipsis: anyEllipsis ? 0 : -1 }, explicit: false };
  }
  const output = termOf(sides[1]!, 'the output', text);
  const seen = new Set<number>();
  for (const l of output.labels) {
    if (seen.has(l)) {
      throw new ArgumentError(`einsum: the output of spec ${JSON.stringify(text)} repeats the index '${letterOf(l)}'; expected each output index at most once`);
    }
    seen.add(l);
    if (counts[l] === 0) {
      throw new ArgumentError(`einsum: the output index '${letterOf(l)}' of spec ${JSON.stringify(text)} appears in no operand's subscripts; expected only indices of the inputs`);
    }
  }
  return { text, inputs, output, explicit: true };
}
