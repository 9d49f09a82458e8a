import { Tensor, TensorLike, kernels } from '../lib';
import { defineOp } from '../graph';
import { asTensor } from './args';
import { sumTo } from './sum-to';
import { mul } from './mul';
import { Domain } from './domain';

/** Splits the gradient where a and b tie: half to each (as PyTorch does); 1 where a wins, 0 where b wins. */
export function winnerMask(a: Tensor, b: Tensor, aWins: (a: Tensor, b: Tensor) => Tensor): Tensor {
  const half = kernels.scale(kernels.equal(a, b), 0.5);
  return kernels.add(aWins(a, b), half);
}

/** c = max(a, b) elementwise.  ā = sumTo(g ⊙ [a > b], a.shape),  b̄ = sumTo(g ⊙ [b > a], b.shape); ties (−0 = 0 included) split ½–½, as PyTorch's */
const op = defineOp({
  name: 'maximum',
  forward: ([a, b]) => kernels.maximum(a!, b!),
  vjp: (g, { inputs: [a, b], needs }) => [
    needs[0] ? sumTo(mul(g, winnerMask(a!, b!, kernels.greater)), a!.shape) : null,
    needs[1] ? sumTo(mul(g, winnerMask(b!, a!, kernels.greater)), b!.shape) : null,
  ],
});

export function maximum(a: TensorLike, b: TensorLike): Tensor {
  return op.apply([asTensor('maximum', a, 'a'), asTensor('maximum', b, 'b')], undefined);
}

export const domain: Domain = { arity: 2, shapes: 'broadcastable', values: { min: -3, max: 3 }, distinct: true };
