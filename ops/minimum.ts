import { Tensor, TensorLike, kernels } from '../lib';
import { defineOp } from '../graph';
import { asTensor } from './args';
import { sumTo } from './sum-to';
import { mul } from './mul';
import { winnerMask } from './maximum';
import { Domain } from './domain';

const less = (a: Tensor, b: Tensor): Tensor => kernels.greater(b, a);

/** c = min(a, b) elementwise.  ā = sumTo(g ⊙ [a < b], a.shape),  b̄ = sumTo(g ⊙ [b < a], b.shape); ties (−0 = 0 included) split ½–½, as PyTorch's */
const op = defineOp({
  name: 'minimum',
  forward: ([a, b]) => kernels.minimum(a!, b!),
  vjp: (g, { inputs: [a, b], needs }) => [
    needs[0] ? sumTo(mul(g, winnerMask(a!, b!, less)), a!.shape) : null,
    needs[1] ? sumTo(mul(g, winnerMask(b!, a!, less)), b!.shape) : null,
  ],
});

export function minimum(a: TensorLike, b: TensorLike): Tensor {
  return op.apply([asTensor('minimum', a, 'a'), asTensor('minimum', b, 'b')], undefined);
}

export const domain: Domain = { arity: 2, shapes: 'broadcastable', values: { min: -3, max: 3 }, distinct: true };
