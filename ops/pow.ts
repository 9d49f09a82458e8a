import { Tensor, TensorLike, kernels } from '../lib';
import { defineOp } from '../graph';
import { asTensor } from './args';
import { sumTo } from './sum-to';
import { mul } from './mul';
import { sub } from './sub';
import { log } from './log';
import { where } from './where';
import { Domain } from './domain';

const ZERO = new Tensor(Float64Array.of(0), []);
const INF = new Tensor(Float64Array.of(Infinity), []);

/**
 * c = a^b (broadcasting).  ā = sumTo(g ⊙ b ⊙ a^(b−1), a.shape),  b̄ = sumTo(g ⊙ c ⊙ log a, b.shape).
 * As PyTorch's: ā is 0 where b = 0 (a⁰ = 1 is constant in a, even at a = 0 or a = 5e−324, where
 * b·a^(b−1) is 0·∞); b̄ is 0 where a = 0 and b ≥ 0 (c is 0 or 1 there, and c·log a → 0 as a → 0⁺ for b > 0),
 * and −∞·g where a = 0 and b < 0 (the limit of c·log a as a → 0⁺), never 0·∞ = NaN. Where a < 0,
 * b̄ is NaN (a^b is not real off the integers); ā at a = 0 with b < 1 is the pole's ±∞.
 */
const op = defineOp({
  name: 'pow',
  forward: ([a, b]) => kernels.pow(a!, b!),
  vjp: (g, { inputs: [a, b], output, needs }) => {
    let gb: Tensor | null = null;
    if (needs[1]) {
      // log a, but 0 where a = 0 and b ≥ 0 (read at 1 there, so no log 0 is formed).
      const flat = kernels.mul(kernels.equal(a!, ZERO), kernels.greaterEqual(b!, ZERO));
      const logA = where(flat, 0, log(where(flat, 1, a!)));
      gb = sumTo(mul(mul(g, output), logA), b!.shape);
    }
    let ga: Tensor | null = null;
    if (needs[0]) {
      // b·a^(b−1) is 0·∞ where b = 0 and a^(b−1) overflows (a = 0, or |a| below 1/MAX); a⁰ is constant there.
      const p = pow(a!, sub(b!, 1));
      const zeroTimesInf = kernels.mul(kernels.equal(b!, ZERO), kernels.equal(kernels.abs(p), INF));
      ga = sumTo(mul(g, where(zeroTimesInf, 0, mul(b!, p))), a!.shape);
    }
    return [ga, gb];
  },
});

export function pow(a: TensorLike, b: TensorLike): Tensor {
  return op.apply([asTensor('pow', a, 'a'), asTensor('pow', b, 'b')], undefined);
}

export const domain: Domain = { arity: 2, shapes: 'broadcastable', values: [{ min: 0.5, max: 2 }, { min: -2, max: 2 }] };
