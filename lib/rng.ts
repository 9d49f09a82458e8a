/**
 * A seeded pseudo-random generator (xoshiro128**, seeded through splitmix32), so every
 * initialisation, shuffle and test is reproducible from one integer. The global generator that
 * draws when no seed is given, and randn/rand, are in global-rng.ts.
 */
import { ArgumentError, describe } from './errors';
import { MAX_ELEMENTS } from './shape';
import { cos, log, sin } from './math';

/**
 * The whole state of an Rng as plain JSON (what state() gives and setState takes): the four 32-bit
 * words of xoshiro128** as unsigned integers, the normal value kept for the next normal() call
 * (null when there is none; a finite float64, which JSON's shortest number form reads back
 * exactly, or '-0'), and the seed the generator was last seeded with.
 */
export interface RngState {
  words: [number, number, number, number];
  spare: number | '-0' | null;
  seed: number;
}

function isUint32(x: unknown): x is number {
  return typeof x === 'number' && Number.isInteger(x) && x >= 0 && x <= 0xffffffff;
}

/** The first thing wrong with an RngState, or null. */
function rngStateProblem(state: unknown): string | null {
  if (typeof state !== 'object' || state === null || Array.isArray(state)) return `expected { words, spare, seed } (what rng.state() gives), got ${describe(state)}`;
  const s = state as Record<string, unknown>;
  const words = s.words;
  if (!Array.isArray(words) || words.length !== 4 || !words.every(isUint32)) {
    return `words must be an array of 4 integers in [0, 4294967295], got ${Array.isArray(words) ? `[${words.map((w) => describe(w)).join(', ')}]` : describe(words)}`;
  }
  if (words.every((w) => w === 0)) return 'words are all 0, a state xoshiro128** never reaches (it would draw 0 forever)';
  const spare = s.spare;
  if (!(spare === null || spare === '-0' || (typeof spare === 'number' && Number.isFinite(spare)))) return `spare must be null, a finite number or '-0', got ${describe(spare)}`;
  if (!isUint32(s.seed)) return `seed must be an integer in [0, 4294967295], got ${describe(s.seed)}`;
  return null;
}

export class Rng {
  private s0 = 0;
  private s1 = 0;
  private s2 = 0;
  private s3 = 0;
  private spare: number | null = null;
  private seed = 0;

  constructor(seed: number) {
    this.reseed('Rng', seed);
  }

  /**
   * Reseeds this generator in place (as torch.Generator.manual_seed): afterwards it draws exactly
   * what a fresh rng(seed) draws. Returns the generator.
   */
  manualSeed(seed: number): this {
    this.reseed('Rng.manualSeed', seed);
    return this;
  }

  /**
   * A copy of the generator's whole state as plain JSON (torch.Generator.get_state): a generator
   * given it with setState draws exactly what this one draws from now on.
   */
  state(): RngState {
    const spare = this.spare === null ? null : Object.is(this.spare, -0) ? '-0' : this.spare;
    return { words: [this.s0 >>> 0, this.s1 >>> 0, this.s2 >>> 0, this.s3 >>> 0], spare, seed: this.seed };
  }

  /**
   * Puts back a state that state() gave (torch.Generator.set_state), checked first: afterwards
   * this generator draws what the one that gave it drew from then on. Returns the generator.
   */
  setState(state: RngState): this {
    const problem = rngStateProblem(state);
    if (problem !== null) throw new ArgumentError(`Rng.setState: ${problem}`);
    const [a, b, c, d] = state.words;
    this.s0 = a | 0;
    this.s1 = b | 0;
    this.s2 = c | 0;
    this.s3 = d | 0;
    this.spare = state.spare === '-0' ? -0 : state.spare;
    this.seed = state.seed;
    return this;
  }

  /** The seed this generator was last seeded with, as the 32-bit unsigned integer its state comes from. */
  initialSeed(): number {
    return this.seed;
  }

  private reseed(who: string, seed: number): void {
    if (typeof seed !== 'number' || !Number.isFinite(seed)) {
      throw new ArgumentError(`${who}: the seed must be a finite number, got ${describe(seed)}`);
    }
    let x = Math.trunc(seed) >>> 0;
    this.seed = x;
    const next = (): number => {
      // splitmix32: spreads one seed over the four words of state
      x = (x + 0x9e3779b9) | 0;
      let z = x;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
      return (z ^ (z >>> 16)) >>> 0;
    };
    this.s0 = next();
    this.s1 = next();
    this.s2 = next();
    this.s3 = next();
    this.spare = null;
  }

  /** A uniform 32-bit unsigned integer. */
  nextUint32(): number {
    const result = Math.imul(rotl(Math.imul(this.s1, 5), 7), 9) >>> 0;
    const t = this.s1 << 9;
    this.s2 ^= this.s0;
    this.s3 ^= this.s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = rotl(this.s3, 11);
    return result;
  }

  /** Uniform in [0, 1) with 53 random bits. */
  uniform(): number {
    const hi = this.nextUint32() >>> 5;
    const lo = this.nextUint32() >>> 6;
    return (hi * 67108864 + lo) / 9007199254740992;
  }

  /** Standard normal (Box–Muller, the second value kept for the next call). */
  normal(): number {
    if (this.spare !== null) {
      const v = this.spare;
      this.spare = null;
      return v;
    }
    let u = 0;
    while (u === 0) u = this.uniform();
    const v = this.uniform();
    const r = Math.sqrt(-2 * log(u));
    this.spare = r * sin(2 * Math.PI * v);
    return r * cos(2 * Math.PI * v);
  }

  /** A uniform integer in [0, n), n a positive integer. */
  int(n: number): number {
    if (typeof n !== 'number' || !Number.isSafeInteger(n) || n <= 0) {
      throw new ArgumentError(`Rng.int: n must be a positive integer, got ${describe(n)}`);
    }
    return Math.floor(this.uniform() * n);
  }

  /** A random permutation of 0 … n − 1 (Fisher–Yates). */
  permutation(n: number): Int32Array {
    if (typeof n !== 'number' || !Number.isInteger(n) || n < 0 || n > MAX_ELEMENTS) {
      throw new ArgumentError(`Rng.permutation: n must be an integer in 0 … ${MAX_ELEMENTS}, got ${describe(n)}`);
    }
    const p = new Int32Array(n);
    for (let i = 0; i < n; i++) p[i] = i;
    for (let i = n - 1; i > 0; i--) {
      const j = this.int(i + 1);
      const t = p[i]!;
      p[i] = p[j]!;
      p[j] = t;
    }
    return p;
  }
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

export function rng(seed: number): Rng {
  if (typeof seed !== 'number' || !Number.isFinite(seed)) throw new ArgumentError(`rng: the seed must be a finite number, got ${describe(seed)}`);
  return new Rng(seed);
}
