import { Tensor, TensorLike, kernels } from '../lib';
import { defineOp } from '../graph';
import { asTensor } from './args';
import { sumTo } from './sum-to';
import { mul } from './mul';
import { sub } from './sub';
import { log } from './log';
import { where } from './where';
import { Domain } from './domain';

/**
 * c = a^b (broadcasting).  ā = sumTo(g ⊙ b ⊙ a^(b−1), a.shape),  b̄ = sumTo(g ⊙ c ⊙ log a, b.shape).
 * ā is taken as 0 where a = b = 0 (a⁰ is constant, even at a = 0); b̄ is taken as 0 where a = 0 (the limit of c·log a as a → 0⁺ for b > 0), as PyTorch does.
 */
const op = defineOp({
  name: 'pow',
  forward: ([a, b]) => kernels.pow(a!, b!),
  vjp: (g, { inputs: [a, b], output, needs }) => {
    let gb: Tensor | null = null;
    if (needs[1]) {
      const aIsZero = kernels.equal(a!, new Tensor(Float64Array.of(0), []));
      const logA = where(aIsZero, 0, log(where(aIsZero, 1, a!)));
      gb = sumTo(mul(mul(g, output), logA), b!.shape);
    }
    let ga: Tensor | null = null;
    if (needs[0]) {
      // b·a^(b−1) is 0·∞ where a = b = 0; the derivative of a⁰ is 0 there, as everywhere.
      const zero = new Tensor(Float64Array.of(0), []);
      const bothZero = kernels.mul(kernels.equal(a!, zero), kernels.equal(b!, zero));
      ga = sumTo(mul(g, where(bothZero, 0, mul(b!, pow(a!, sub(b!, 1))))), a!.shape);
    }
    return [ga, gb];
  },
});

export function pow(a: TensorLike, b: TensorLike): Tensor {
  return op.apply([asTensor('pow', a, 'a'), asTensor('pow', b, 'b')], undefined);
}

export const domain: Domain = { arity: 2, shapes: 'broadcastable', values: [{ min: 0.5, max: 2 }, { min: -2, max: 2 }] };
