/**
 * Character-level language-model data, as nanoGPT's shakespeare_char preparation: the vocabulary
 * is the sorted set of the text's characters (Unicode code points, sorted by code point as
 * Python's sorted(set(text))), every character is encoded as its index in it, and the encoded
 * text is split into the first (1 − validationFraction) for training and the rest for validation
 * (train = ids[:⌊n·0.9⌋] by default, as nanoGPT's int(n * 0.9)). For Tiny Shakespeare
 * (1,115,394 characters, in the Node entry's loadTinyShakespeare) the vocabulary has 65 characters.
 *
 * Batches: sampleWindows draws random windows of `context` ids, and their targets shifted by one,
 * as nanoGPT's get_batch (offsets uniform in [0, length − context)); windows cuts a split into
 * consecutive non-overlapping windows for an evaluation that sees every window once.
 */
import { ArgumentError, MAX_ELEMENTS, Rng, Tensor, asTensor, describe, globalRng } from '../../lib';
import { NumberRange, numberIn, optionsIn } from '../args';
import { Dataset } from '../train';

export interface CharDatasetOptions {
  /**
   * Fraction of the text, at its end, held out for validation: a number in [0, 1) (default 0.1,
   * as nanoGPT). The training part is the first ⌊n · (1 − validationFraction)⌋ characters.
   */
  validationFraction?: number;
}

export interface CharDataset {
  /** The distinct characters of the text, sorted by code point; id i is vocab[i]. */
  readonly vocab: readonly string[];
  /** The ids of a string's characters; a character outside the vocabulary is an ArgumentError. */
  encode(text: string): Int32Array;
  /** The string of a sequence of ids (an Int32Array, an array of integers or a tensor of integer values). */
  decode(ids: Int32Array | readonly number[] | Tensor): string;
  /** The first part of the encoded text. */
  readonly train: Int32Array;
  /** The last part of the encoded text (empty with validationFraction 0). */
  readonly validation: Int32Array;
}

export interface SampleWindowsOptions {
  /** Windows per batch, an integer ≥ 1. */
  batch: number;
  /** Ids per window, an integer in [1, length of ids). */
  context: number;
  /**
   * The generator to draw the offsets from (default: the global one, see manualSeed). Pass one
   * generator, made once with rng(seed), to every call: a seed would repeat the same batch.
   */
  rng?: Rng;
}

/** The range of validationFraction. */
export const VALIDATION_FRACTION: NumberRange = { min: 0, max: 1, maxOpen: true };

/** The text's characters as code points (an astral character is one character, not two halves). */
function charactersOf(text: string): string[] {
  return Array.from(text);
}

/** A UTF-16 surrogate: the text has characters beyond U+FFFF (or lone halves). */
const SURROGATE = /[\uD800-\uDFFF]/;

/** Vocabulary and ids of a text of one-unit characters, by a table over char codes (1.1 M characters in a few ms). */
function encodeBmp(text: string): { vocab: readonly string[]; ids: Int32Array } {
  const table = new Int32Array(65536).fill(-1);
  for (let i = 0; i < text.length; i++) table[text.charCodeAt(i)] = 0;
  const vocab: string[] = [];
  for (let code = 0; code < 65536; code++) if (table[code] === 0) table[code] = vocab.push(String.fromCharCode(code)) - 1;
  const ids = new Int32Array(text.length);
  for (let i = 0; i < text.length; i++) ids[i] = table[text.charCodeAt(i)]!;
  return { vocab: Object.freeze(vocab), ids };
}

/** The same over code points, for texts with characters beyond U+FFFF. */
function encodeCodePoints(text: string): { vocab: readonly string[]; ids: Int32Array } {
  const chars = charactersOf(text);
  const vocab = Object.freeze([...new Set(chars)].sort(byCodePoint));
  const index = new Map<string, number>(vocab.map((c, i) => [c, i]));
  return { vocab, ids: Int32Array.from(chars, (c) => index.get(c)!) };
}

const byCodePoint = (a: string, b: string): number => a.codePointAt(0)! - b.codePointAt(0)!;

/** The vocabulary and encoding of `text`, split into training and validation ids. */
export function charDataset(text: string, options: CharDatasetOptions = {}): CharDataset {
  const who = 'charDataset';
  return charDatasetFrom(who, text, 'the text', options);
}

/** charDataset naming `who` and where the text came from (`source`) in messages. */
export function charDatasetFrom(who: string, text: unknown, source: string, options: CharDatasetOptions): CharDataset {
  const o = optionsIn(who, options);
  const validationFraction = numberIn(who, 'validationFraction', o.validationFraction, VALIDATION_FRACTION, 0.1);
  if (typeof text !== 'string') throw new ArgumentError(`${who}: expected the text as a string, got ${describe(text)}`);
  if (text.length === 0) throw new ArgumentError(`${who}: ${source} is empty; expected at least one character`);
  const { vocab, ids } = SURROGATE.test(text) ? encodeCodePoints(text) : encodeBmp(text);
  const index = new Map<string, number>(vocab.map((c, i) => [c, i]));
  const n = ids.length;
  const nTrain = Math.floor(n * (1 - validationFraction));
  if (nTrain < 1 || (validationFraction > 0 && nTrain === n)) {
    throw new ArgumentError(
      `${who}: validationFraction ${validationFraction} of ${n} characters leaves ${nTrain} for training and ${n - nTrain} for validation; ` +
        `expected at least one in each${validationFraction > 0 ? ' (or validationFraction 0 for no validation split)' : ''}`,
    );
  }

  const encode = (s: string): Int32Array => {
    if (typeof s !== 'string') throw new ArgumentError(`CharDataset.encode: expected a string, got ${describe(s)}`);
    const cs = charactersOf(s);
    const out = new Int32Array(cs.length);
    for (let i = 0; i < cs.length; i++) {
      const id = index.get(cs[i]!);
      if (id === undefined) {
        throw new ArgumentError(`CharDataset.encode: the character ${JSON.stringify(cs[i])} (U+${cs[i]!.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}) at position ${i} is not in the vocabulary of ${vocab.length} characters`);
      }
      out[i] = id;
    }
    return out;
  };

  const decode = (input: Int32Array | readonly number[] | Tensor): string => {
    const values: ArrayLike<number> | null = input instanceof Tensor ? asTensor('CharDataset.decode', input, 'ids').data : input instanceof Int32Array || Array.isArray(input) ? input : null;
    if (values === null) throw new ArgumentError(`CharDataset.decode: expected ids as an Int32Array, an array of integers or a tensor, got ${describe(input)}`);
    const parts = new Array<string>(values.length);
    for (let i = 0; i < values.length; i++) {
      const v = values[i];
      if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v >= vocab.length) {
        throw new ArgumentError(`CharDataset.decode: ids must be integers in [0, ${vocab.length - 1}], got ${describe(v)} at position ${i}`);
      }
      parts[i] = vocab[v]!;
    }
    return parts.join('');
  };

  return { vocab, encode, decode, train: ids.subarray(0, nTrain), validation: ids.subarray(nTrain) };
}

/** An id sequence: an Int32Array or an array of integers (checked where it is read). */
function idsOf(who: string, ids: unknown): ArrayLike<number> {
  if (ids instanceof Int32Array || Array.isArray(ids)) return ids as ArrayLike<number>;
  throw new ArgumentError(`${who}: ids must be an Int32Array (such as charDataset(...).train) or an array of integers, got ${describe(ids)}`);
}

/** Copies ids[from … from + context) into out at `at`, checking the values of a plain array. */
function copyWindow(who: string, ids: ArrayLike<number>, from: number, context: number, out: Float64Array, at: number): void {
  if (ids instanceof Int32Array) {
    for (let j = 0; j < context; j++) out[at + j] = ids[from + j]!;
    return;
  }
  for (let j = 0; j < context; j++) {
    const v = ids[from + j];
    if (typeof v !== 'number' || !Number.isSafeInteger(v)) throw new ArgumentError(`${who}: ids must be integers, got ${describe(v)} at position ${from + j}`);
    out[at + j] = v;
  }
}

/** A context length: an integer in [1, length − 1], so a window and its shifted targets fit. */
function contextOf(who: string, context: unknown, length: number): number {
  if (length < 2) throw new ArgumentError(`${who}: ids has ${length} ${length === 1 ? 'id' : 'ids'}; a window and its targets shifted by one need at least 2`);
  return numberIn(who, `context (ids has ${length} ids)`, context, { min: 1, max: length, maxOpen: true, integer: true });
}

/**
 * A random batch of windows, as nanoGPT's get_batch: `batch` offsets drawn uniformly from
 * [0, length − context), x[b] = ids[i_b … i_b + context) and y[b] = ids[i_b + 1 … i_b + context],
 * both tensors [batch, context] of integer values (ids for an Embedding, targets for a
 * cross-entropy). The offsets come from options.rng, or the global generator.
 */
export function sampleWindows(ids: Int32Array | readonly number[], options: SampleWindowsOptions): Dataset {
  const who = 'sampleWindows';
  const data = idsOf(who, ids);
  const o = optionsIn(who, options, 'batch and context, e.g. { batch: 32, context: 64 }');
  const batch = numberIn(who, 'batch', o.batch, { min: 1, integer: true });
  const context = contextOf(who, o.context, data.length);
  if (batch * context > MAX_ELEMENTS) throw new ArgumentError(`${who}: batch ${batch} × context ${context} is more than the ${MAX_ELEMENTS} elements a tensor may hold`);
  let random: Rng;
  if (o.rng === undefined) random = globalRng();
  else if (o.rng instanceof Rng) random = o.rng;
  else throw new ArgumentError(`${who}: rng must be a generator made once with rng(seed) and passed to every call (a seed would draw the same batch each time), got ${describe(o.rng)}`);
  const x = new Float64Array(batch * context);
  const y = new Float64Array(batch * context);
  const offsets = data.length - context;
  for (let b = 0; b < batch; b++) {
    const i = random.int(offsets);
    copyWindow(who, data, i, context, x, b * context);
    copyWindow(who, data, i + 1, context, y, b * context);
  }
  return { x: new Tensor(x, [batch, context]), y: new Tensor(y, [batch, context]) };
}

/**
 * Every non-overlapping window of a split, in order, for evaluation: window k is
 * x[k] = ids[k·context … (k+1)·context) with targets y[k] = ids[k·context + 1 … (k+1)·context],
 * for the ⌊(length − 1) / context⌋ windows that fit (the last few ids, fewer than a window, are
 * left out). Returns x and y as tensors [windows, context], a Dataset that evaluate batches by rows.
 */
export function windows(ids: Int32Array | readonly number[], context: number): Dataset {
  const who = 'windows';
  const data = idsOf(who, ids);
  const c = contextOf(who, context, data.length);
  const k = Math.floor((data.length - 1) / c);
  const x = new Float64Array(k * c);
  const y = new Float64Array(k * c);
  for (let w = 0; w < k; w++) {
    copyWindow(who, data, w * c, c, x, w * c);
    copyWindow(who, data, w * c + 1, c, y, w * c);
  }
  return { x: new Tensor(x, [k, c]), y: new Tensor(y, [k, c]) };
}
