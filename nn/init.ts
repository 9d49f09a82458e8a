/**
 * Seeded initialisers. Each returns a fresh tensor of the given [fanIn, fanOut] (or any) shape.
 *   normal(σ):        N(0, σ²) — the NN tutorial's N(0, 0.001²) with zero biases
 *   xavier (Glorot):  U(−a, a), a = √(6 / (fanIn + fanOut)) — keeps variance through tanh/sigmoid
 *   he (Kaiming):     N(0, 2 / fanIn) — keeps variance through ReLU
 *   fanInUniform:     U(−1/√fanIn, 1/√fanIn) — PyTorch's default for Linear weights and biases
 */
import { ArgumentError, Rng, Tensor, checkShape, describe, globalRng, rand, randn, zeros } from '../lib';
import { checkTensorBytes } from '../lib/memory';
import { mul, add } from '../ops';
import { noGrad } from '../graph';
import { isRecord, numberIn } from './args';

export type Initializer =
  | { kind: 'normal'; std: number }
  | { kind: 'xavier' }
  | { kind: 'he' }
  | { kind: 'fanInUniform' }
  | { kind: 'zeros' };

export type InitName = 'normal' | 'xavier' | 'he' | 'fanInUniform' | 'zeros';

const KINDS = ['normal', 'xavier', 'he', 'fanInUniform', 'zeros'] as const;
const EXPECTED = "expected 'normal', 'normal:σ' (σ > 0), 'xavier', 'he', 'fanInUniform', 'zeros' or an object such as { kind: 'normal', std: 0.01 }";
const STD = { min: 0, minOpen: true } as const;

function uniform(shape: number[], random: Rng, bound: number): Tensor {
  return noGrad(() => add(mul(rand(shape, random), 2 * bound), -bound));
}

/**
 * Initial values for a parameter of `shape`, drawn from `random` (default: the global generator,
 * see manualSeed); fanIn/fanOut default to shape[0]/shape[1].
 */
export function initialize(init: Initializer, shape: number[], random: Rng = globalRng(), fanIn = shape?.[0] ?? 1, fanOut = shape?.[1] ?? 1): Tensor {
  const spec = parseInitializer('initialize', init);
  const s = checkShape('initialize', shape);
  if (!(random instanceof Rng)) throw new ArgumentError(`initialize: expected an rng(seed) or nothing as third argument, got ${describe(random)}`);
  // The bounds and deviations divide by the fans: they must be positive wherever they are used.
  const fan = (name: string, value: unknown) => numberIn('initialize', `${name} of a ${spec.kind} initialiser`, value, { min: 0, minOpen: true });
  checkTensorBytes('initialize', s, 'a parameter of shape');
  switch (spec.kind) {
    case 'normal':
      return noGrad(() => mul(randn(s, random), spec.std));
    case 'xavier':
      return uniform(s, random, Math.sqrt(6 / (fan('fanIn', fanIn) + fan('fanOut', fanOut))));
    case 'he':
      return noGrad(() => mul(randn(s, random), Math.sqrt(2 / fan('fanIn', fanIn))));
    case 'fanInUniform':
      return uniform(s, random, 1 / Math.sqrt(fan('fanIn', fanIn)));
    case 'zeros':
      return zeros(s);
  }
}

/** Parses 'normal', 'normal:0.001', 'xavier', 'he', 'fanInUniform' or 'zeros' (or checks an Initializer object). */
export function initializer(spec: InitName | string | Initializer): Initializer {
  return parseInitializer('initializer', spec);
}

/** initializer's parse and checks, naming `who` (a layer's option, e.g. "Linear: init") in messages. */
export function parseInitializer(who: string, spec: unknown): Initializer {
  if (isRecord(spec)) {
    const kind = spec.kind;
    if (typeof kind !== 'string' || !(KINDS as readonly string[]).includes(kind)) {
      throw new ArgumentError(`${who}: unknown initialiser kind ${describe(kind)}; ${EXPECTED}`);
    }
    if (kind === 'normal') return { kind, std: numberIn(who, 'the std of a normal initialiser', spec.std, STD) };
    return { kind } as Initializer;
  }
  if (typeof spec !== 'string') throw new ArgumentError(`${who}: expected an initialiser, got ${describe(spec)}; ${EXPECTED}`);
  const parts = spec.split(':');
  const [name, arg] = parts;
  if (parts.length > 2 || (arg !== undefined && name !== 'normal')) {
    throw new ArgumentError(`${who}: malformed initialiser ${describe(spec)}; ${EXPECTED}`);
  }
  switch (name) {
    case 'normal': {
      if (arg === undefined) return { kind: 'normal', std: 0.01 };
      const std = arg.trim() === '' ? NaN : Number(arg);
      if (!(Number.isFinite(std) && std > 0)) {
        throw new ArgumentError(`${who}: the σ of ${describe(spec)} must be a finite number > 0, got ${describe(arg)}`);
      }
      return { kind: 'normal', std };
    }
    case 'xavier':
    case 'glorot':
      return { kind: 'xavier' };
    case 'he':
    case 'kaiming':
      return { kind: 'he' };
    case 'fanInUniform':
      return { kind: 'fanInUniform' };
    case 'zeros':
      return { kind: 'zeros' };
    default:
      throw new ArgumentError(`${who}: unknown initialiser ${describe(spec)}; ${EXPECTED}`);
  }
}
