/**
 * Seeded initialisers. Each returns a fresh tensor of the given [fanIn, fanOut] (or any) shape.
 *   normal(σ):        N(0, σ²) — the NN tutorial's N(0, 0.001²) with zero biases
 *   xavier (Glorot):  U(−a, a), a = √(6 / (fanIn + fanOut)) — keeps variance through tanh/sigmoid
 *   he (Kaiming):     N(0, 2 / fanIn) — keeps variance through ReLU
 *   fanInUniform:     U(−1/√fanIn, 1/√fanIn) — PyTorch's default for Linear weights and biases
 */
import { ArgumentError, Rng, Tensor, describe, rand, randn, zeros } from '../lib';
import { mul, add } from '../ops';
import { noGrad } from '../graph';

export type Initializer =
  | { kind: 'normal'; std: number }
  | { kind: 'xavier' }
  | { kind: 'he' }
  | { kind: 'fanInUniform' }
  | { kind: 'zeros' };

export type InitName = 'normal' | 'xavier' | 'he' | 'fanInUniform' | 'zeros';

function uniform(shape: number[], random: Rng, bound: number): Tensor {
  return noGrad(() => add(mul(rand(shape, random), 2 * bound), -bound));
}

/** Initial values for a parameter of `shape`; fanIn/fanOut default to shape[0]/shape[1]. */
export function initialize(init: Initializer, shape: number[], random: Rng, fanIn = shape[0] ?? 1, fanOut = shape[1] ?? 1): Tensor {
  switch (init.kind) {
    case 'normal':
      return noGrad(() => mul(randn(shape, random), init.std));
    case 'xavier':
      return uniform(shape, random, Math.sqrt(6 / (fanIn + fanOut)));
    case 'he':
      return noGrad(() => mul(randn(shape, random), Math.sqrt(2 / fanIn)));
    case 'fanInUniform':
      return uniform(shape, random, 1 / Math.sqrt(fanIn));
    case 'zeros':
      return zeros(shape);
    default:
      throw new ArgumentError(`init: unknown initialiser ${describe((init as { kind: unknown }).kind)}; expected normal, xavier, he, fanInUniform or zeros`);
  }
}

/** Parses 'normal', 'normal:0.001', 'xavier', 'he', 'fanInUniform' or 'zeros'. */
export function initializer(spec: InitName | string | Initializer): Initializer {
  if (typeof spec === 'object') return spec;
  const [name, arg] = String(spec).split(':');
  switch (name) {
    case 'normal':
      return { kind: 'normal', std: arg === undefined ? 0.01 : Number(arg) };
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
      throw new ArgumentError(`init: unknown initialiser ${describe(spec)}; expected normal[:σ], xavier, he, fanInUniform or zeros`);
  }
}
