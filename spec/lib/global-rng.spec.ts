/** The global generator: its fixed starting seed, manualSeed, initialSeed, and randn/rand drawing from it. */
import { ArgumentError, DEFAULT_SEED, DeltaGraphError, Rng, globalRng, initialSeed, manualSeed, rand, randn, rng } from '../../index';
import { expectError } from '../errors/expect-error';

type Lib = typeof import('../../lib');

/** A fresh copy of lib, as a new process loads it. */
function freshLib(): Lib {
  let lib: Lib | undefined;
  jest.isolateModules(() => {
    lib = require('../../lib') as Lib;
  });
  return lib!;
}

describe('the global generator', () => {
  it('starts from DEFAULT_SEED = 0 whenever the library is loaded: the same draws as rng(0)', () => {
    const a = freshLib();
    const b = freshLib();
    expect(a.DEFAULT_SEED).toBe(0);
    expect(a.initialSeed()).toBe(0);
    const expected = randn([7], rng(0)).toArray();
    expect(a.randn([7]).toArray()).toEqual(expected);
    expect(b.randn([7]).toArray()).toEqual(expected);
    // The second draw continues the stream.
    expect(a.randn([7]).toArray()).not.toEqual(expected);
  });

  it('manualSeed(s) reseeds it in place: it then draws what rng(s) draws, whatever was drawn before', () => {
    const before = globalRng();
    expect(manualSeed(123)).toBe(before);
    expect(globalRng()).toBe(before);
    expect(initialSeed()).toBe(123);
    const first = randn([5]).toArray();
    expect(first).toEqual(randn([5], rng(123)).toArray());
    rand([11]);
    // Five normals and then two leave a Box–Muller spare behind; reseeding must drop it.
    randn([2]);
    manualSeed(123);
    expect(randn([5]).toArray()).toEqual(first);
    manualSeed(124);
    expect(randn([5]).toArray()).not.toEqual(first);
    manualSeed(DEFAULT_SEED);
    expect(initialSeed()).toBe(0);
  });

  it('accepts every seed from 0 to 2³² − 1, and distinct seeds give distinct draws', () => {
    manualSeed(0xffffffff);
    expect(initialSeed()).toBe(4294967295);
    const top = rand([4]).toArray();
    manualSeed(0);
    expect(rand([4]).toArray()).not.toEqual(top);
  });

  it('randn and rand without a generator draw from it; with one they leave it alone', () => {
    manualSeed(9);
    const r = rng(9);
    expect(rand([3]).toArray()).toEqual(rand([3], r).toArray());
    expect(randn([2, 2]).toArray()).toEqual(randn([2, 2], r).toArray());
    expect(rand([4], undefined, -2, 2).toArray()).toEqual(rand([4], r, -2, 2).toArray());
    manualSeed(9);
    randn([6], rng(1));
    rand([6], rng(2));
    expect(rand([3]).toArray()).toEqual(rand([3], rng(9)).toArray());
  });

  it('refuses a seed that is not an integer in [0, 2³² − 1], naming manualSeed, the argument and the value, and keeps its state', () => {
    manualSeed(5);
    const cases: Array<[unknown, string]> = [
      [1.5, '1.5'], [-1, '-1'], [2 ** 32, '4294967296'], [NaN, 'NaN'], [Infinity, 'Infinity'],
      ['7', '"7"'], [undefined, 'undefined'], [null, 'null'], [rng(1), 'an object'], [7n, '7n'],
    ];
    for (const [seed, shown] of cases) {
      expectError(() => manualSeed(seed as number), ArgumentError, 'manualSeed: ', 'seed', 'an integer in [0, 4294967295]', `got ${shown}`);
      expectError(() => manualSeed(seed as number), DeltaGraphError, 'manualSeed');
    }
    expect(initialSeed()).toBe(5);
    expect(randn([3]).toArray()).toEqual(randn([3], rng(5)).toArray());
  });
});

describe('Rng.manualSeed and Rng.initialSeed', () => {
  it('reseed one generator in place, as a fresh rng(seed)', () => {
    const r = rng(4);
    expect(r.initialSeed()).toBe(4);
    const fresh = randn([5], rng(8)).toArray();
    randn([3], r);
    expect(r.manualSeed(8)).toBe(r);
    expect(r.initialSeed()).toBe(8);
    expect(randn([5], r).toArray()).toEqual(fresh);
    // rng truncates a seed and takes it modulo 2³², and says so.
    expect(new Rng(-1).initialSeed()).toBe(4294967295);
    expect(new Rng(2.9).initialSeed()).toBe(2);
    expectError(() => r.manualSeed(NaN), ArgumentError, 'Rng.manualSeed', 'seed', 'NaN');
  });
});
