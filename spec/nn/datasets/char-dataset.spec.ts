/**
 * Character-level data: charDataset's vocabulary, encoding and nanoGPT split, the Tiny Shakespeare
 * file the package ships (loadTinyShakespeare), random training windows (sampleWindows) and the
 * non-overlapping evaluation windows (windows), and their argument errors.
 */
import { readFileSync } from 'fs';
import { join } from 'path';
import {
  ArgumentError, CrossEntropyLoss, DeltaGraphError, Embedding, charDataset, loadTinyShakespeare, manualSeed, reshape, rng, sampleWindows, tensor, windows,
} from '../../../node';
import { expectError } from '../../errors/expect-error';

const shippedPath = join(__dirname, '..', '..', '..', 'data', 'tinyshakespeare.txt');
const rows = (t: { data: Float64Array; shape: readonly number[] }): number[][] => {
  const c = t.shape[1]!;
  return Array.from({ length: t.shape[0]! }, (_, b) => Array.from(t.data.subarray(b * c, (b + 1) * c)));
};
const range = (from: number, to: number): number[] => Array.from({ length: to - from }, (_, i) => from + i);

describe('loadTinyShakespeare', () => {
  const started = Date.now();
  const d = loadTinyShakespeare();
  const seconds = (Date.now() - started) / 1000;
  const text = readFileSync(shippedPath, 'utf8');

  it('reads the shipped file: 1,115,394 characters, a 65-character vocabulary (nanoGPT\'s), split 90/10 as int(n * 0.9)', () => {
    expect(text.length).toBe(1_115_394);
    expect(d.vocab).toHaveLength(65);
    expect(d.vocab.join('')).toBe("\n !$&',-.3:;?ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz");
    expect(d.train).toHaveLength(1_003_854);
    expect(d.validation).toHaveLength(111_540);
    expect(seconds).toBeLessThan(1);
  });

  it('encodes the whole text: decode(train) + decode(validation) is the file', () => {
    expect(d.decode(d.train) + d.decode(d.validation)).toBe(text);
    expect(Array.from(d.train.subarray(0, 14))).toEqual(Array.from(d.encode('First Citizen:')));
    expect(d.decode(d.encode('To be, or not to be'))).toBe('To be, or not to be');
  });

  it('walks the validation split in 1,742 non-overlapping 64-character windows', () => {
    const v = windows(d.validation, 64);
    expect(v.x.shape).toEqual([1742, 64]);
    expect(v.y.shape).toEqual([1742, 64]);
    expect(d.decode(v.x)).toBe(d.decode(d.validation.subarray(0, 1742 * 64)));
    expect(d.decode(v.y)).toBe(d.decode(d.validation.subarray(1, 1742 * 64 + 1)));
  });

  it('takes validationFraction and path', () => {
    const half = loadTinyShakespeare({ validationFraction: 0.5 });
    expect(half.train).toHaveLength(557_697);
    expect(half.vocab).toEqual(d.vocab);
    const small = loadTinyShakespeare({ path: join(__dirname, '..', '..', '..', 'package.json') });
    expect(small.vocab).not.toEqual(d.vocab);
  });

  it('checks its options before reading, and says which file it cannot read', () => {
    expectError(() => loadTinyShakespeare({ validationFraction: 1 }), ArgumentError, 'loadTinyShakespeare', 'validationFraction', 'got 1', '[0, 1)');
    expectError(() => loadTinyShakespeare({ validationFraction: 'x' as never, path: '/no/such/file' }), ArgumentError, 'loadTinyShakespeare', 'validationFraction');
    expectError(() => loadTinyShakespeare({ path: '/no/such/file.txt' }), ArgumentError, 'loadTinyShakespeare', 'cannot read /no/such/file.txt');
    expectError(() => loadTinyShakespeare({ path: '' }), ArgumentError, 'loadTinyShakespeare', 'path', 'non-empty string');
    expectError(() => loadTinyShakespeare(7 as never), ArgumentError, 'loadTinyShakespeare', 'options object');
  });
});

describe('charDataset', () => {
  it('sorts the distinct characters, encodes each as its index and decodes back', () => {
    const d = charDataset('hello world');
    expect(d.vocab).toEqual([' ', 'd', 'e', 'h', 'l', 'o', 'r', 'w']);
    expect(Array.from(d.encode('hello'))).toEqual([3, 2, 4, 4, 5]);
    expect(d.decode([3, 2, 4, 4, 5])).toBe('hello');
    expect(d.decode(Int32Array.of(7, 5))).toBe('wo');
    expect(d.decode(tensor([[7], [5]]))).toBe('wo');
    expect(Object.isFrozen(d.vocab)).toBe(true);
  });

  it('splits at ⌊n (1 − validationFraction)⌋: the first part trains, the rest validates', () => {
    const d = charDataset('hello world'); // 11 characters: 9 and 2
    expect(d.decode(d.train)).toBe('hello wor');
    expect(d.decode(d.validation)).toBe('ld');
    const third = charDataset('abcdefghij', { validationFraction: 0.3 });
    expect([third.train.length, third.validation.length]).toEqual([7, 3]);
    const all = charDataset('abc', { validationFraction: 0 });
    expect([all.train.length, all.validation.length]).toEqual([3, 0]);
  });

  it('counts code points, sorted by code point as Python: an emoji is one character, after U+FF01', () => {
    const d = charDataset('b😀a！', { validationFraction: 0 });
    expect(d.vocab).toEqual(['a', 'b', '！', '😀']);
    expect(Array.from(d.encode('😀b'))).toEqual([3, 1]);
    expect(d.train).toHaveLength(4);
    expect(d.decode(d.train)).toBe('b😀a！');
  });

  it('refuses empty or non-string text, a fraction outside [0, 1), and a split leaving a part empty', () => {
    expectError(() => charDataset(''), ArgumentError, 'charDataset', 'empty');
    expectError(() => charDataset(42 as never), ArgumentError, 'charDataset', 'string', '42');
    expectError(() => charDataset('abc', { validationFraction: 1 }), ArgumentError, 'charDataset', 'validationFraction', '[0, 1)', 'got 1');
    expectError(() => charDataset('abc', { validationFraction: -0.1 }), ArgumentError, 'charDataset', 'validationFraction');
    expectError(() => charDataset('abc', { validationFraction: NaN }), ArgumentError, 'charDataset', 'NaN');
    expectError(() => charDataset('abc', { validationFraction: 1e-17 }), ArgumentError, 'charDataset', 'leaves 3 for training and 0', 'at least one in each');
    expectError(() => charDataset('a', { validationFraction: 0.5 }), ArgumentError, 'charDataset', 'leaves 0 for training');
    expectError(() => charDataset('abc', [] as never), ArgumentError, 'charDataset', 'options object');
  });

  it('encode names a character outside the vocabulary; decode an id out of range or not an integer', () => {
    const d = charDataset('hello world');
    expectError(() => d.encode('help'), ArgumentError, 'CharDataset.encode', '"p"', 'U+0070', 'position 3', '8 characters');
    expectError(() => d.encode(3 as never), ArgumentError, 'CharDataset.encode', 'string');
    expectError(() => d.decode([0, 8]), ArgumentError, 'CharDataset.decode', '[0, 7]', 'got 8', 'position 1');
    expectError(() => d.decode([1.5]), ArgumentError, 'CharDataset.decode', 'got 1.5');
    expectError(() => d.decode([-1]), ArgumentError, 'CharDataset.decode', 'got -1');
    expectError(() => d.decode('abc' as never), ArgumentError, 'CharDataset.decode', 'Int32Array');
  });
});

describe('sampleWindows', () => {
  const ids = Int32Array.from(range(0, 100)); // id k at position k: a window's first id is its offset

  it('draws windows [batch, context] at offsets in [0, length − context), targets shifted by one', () => {
    const { x, y } = sampleWindows(ids, { batch: 3000, context: 10, rng: rng(1) });
    expect(x.shape).toEqual([3000, 10]);
    expect(y.shape).toEqual([3000, 10]);
    const xs = rows(x);
    const ys = rows(y);
    const offsets = xs.map((r) => r[0]!);
    expect(xs.every((r, b) => r.every((v, j) => v === offsets[b]! + j))).toBe(true);
    expect(ys.every((r, b) => r.every((v, j) => v === offsets[b]! + j + 1))).toBe(true);
    expect(Math.min(...offsets)).toBe(0);
    expect(Math.max(...offsets)).toBe(89); // the last window's targets end at id 99
  });

  it('takes its offsets from the generator in order (generator.int(length − context) per window)', () => {
    const r = rng(7);
    const expected = Array.from({ length: 5 }, () => r.int(96));
    expect(rows(sampleWindows(ids, { batch: 5, context: 4, rng: rng(7) }).x).map((row) => row[0])).toEqual(expected);
    // One generator advances from call to call; the global one follows manualSeed.
    const g = rng(7);
    const first = sampleWindows(ids, { batch: 5, context: 4, rng: g });
    expect(sampleWindows(ids, { batch: 5, context: 4, rng: g }).x.data).not.toEqual(first.x.data);
    manualSeed(7);
    expect(sampleWindows(ids, { batch: 5, context: 4 }).x.data).toEqual(first.x.data);
  });

  it('accepts an array of integers, and its windows feed an Embedding and a cross-entropy over [B·T, V]', () => {
    const d = charDataset('to be or not to be, that is the question', { validationFraction: 0 });
    const plain = sampleWindows(Array.from(d.train), { batch: 4, context: 8, rng: rng(2) });
    const typed = sampleWindows(d.train, { batch: 4, context: 8, rng: rng(2) });
    expect(plain.x.data).toEqual(typed.x.data);
    const V = d.vocab.length;
    const logits = new Embedding(V, V, { rng: 0 }).forward(typed.x); // [4, 8, V], a bigram model
    const loss = new CrossEntropyLoss().forward(reshape(logits, [32, V]), reshape(typed.y, [32]));
    expect(loss.item()).toBeGreaterThan(0);
  });

  it('refuses a non-integer batch, a context ≥ length, ids that are not a sequence and a seed for rng', () => {
    expectError(() => sampleWindows(ids, { batch: 2.5, context: 4 }), ArgumentError, 'sampleWindows', 'batch', 'integer ≥ 1', 'got 2.5');
    expectError(() => sampleWindows(ids, { batch: 0, context: 4 }), ArgumentError, 'sampleWindows', 'batch', 'got 0');
    expectError(() => sampleWindows(ids, { batch: 2, context: 100 }), ArgumentError, 'sampleWindows', 'context (ids has 100 ids)', '[1, 100)', 'got 100');
    expectError(() => sampleWindows(ids, { batch: 2, context: 0 }), ArgumentError, 'sampleWindows', 'context', 'got 0');
    expectError(() => sampleWindows(ids, { batch: 2 } as never), ArgumentError, 'sampleWindows', 'context', 'undefined');
    expectError(() => sampleWindows(ids, undefined as never), ArgumentError, 'sampleWindows', 'batch and context');
    expectError(() => sampleWindows(Int32Array.of(3), { batch: 1, context: 1 }), ArgumentError, 'sampleWindows', 'ids has 1 id', 'at least 2');
    expectError(() => sampleWindows('abc' as never, { batch: 1, context: 1 }), ArgumentError, 'sampleWindows', 'Int32Array');
    expectError(() => sampleWindows(ids, { batch: 1, context: 4, rng: 3 as never }), ArgumentError, 'sampleWindows', 'rng', 'rng(seed)', 'got 3');
    expectError(() => sampleWindows([0, 1.5, 2, 3], { batch: 20, context: 3, rng: rng(0) }), ArgumentError, 'sampleWindows', 'integers', '1.5');
    expectError(() => sampleWindows(ids, { batch: 2 ** 30, context: 4 }), ArgumentError, 'sampleWindows', 'more than');
    expect(new ArgumentError('x')).toBeInstanceOf(DeltaGraphError);
  });
});

describe('windows', () => {
  it('cuts ⌊(length − 1) / context⌋ consecutive windows, targets shifted by one, the remainder left out', () => {
    const w = windows(Int32Array.from(range(0, 21)), 4);
    expect(rows(w.x)).toEqual([range(0, 4), range(4, 8), range(8, 12), range(12, 16), range(16, 20)]);
    expect(rows(w.y)).toEqual([range(1, 5), range(5, 9), range(9, 13), range(13, 17), range(17, 21)]);
    expect(windows(range(0, 24), 4).x.shape).toEqual([5, 4]); // ids 21 … 23 do not fill a window with targets
    expect(windows(range(0, 25), 4).x.shape).toEqual([6, 4]);
    expect(windows([5, 6], 1)).toEqual({ x: tensor([[5]]), y: tensor([[6]]) });
  });

  it('refuses a context ≥ length or not an integer', () => {
    expectError(() => windows(Int32Array.from(range(0, 10)), 10), ArgumentError, 'windows', 'context (ids has 10 ids)', 'got 10');
    expectError(() => windows(Int32Array.from(range(0, 10)), 2.5), ArgumentError, 'windows', 'context', 'got 2.5');
    expectError(() => windows(new Int32Array(0), 1), ArgumentError, 'windows', 'ids has 0 ids');
    expectError(() => windows(null as never, 1), ArgumentError, 'windows', 'Int32Array', 'null');
  });
});
