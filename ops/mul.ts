import { Tensor, TensorLike, kernels } from '../lib';
import { defineOp } from '../graph';
import { asTensor } from './args';
import { sumTo } from './sum-to';
import { Domain } from './domain';

/** c = a ⊙ b (broadcasting).  ā = sumTo(g ⊙ b, a.shape),  b̄ = sumTo(g ⊙ a, b.shape) */
const op = defineOp({
  name: 'mul',
  forward: ([a, b]) => kernels.mul(a!, b!),
  vjp: (g, { inputs: [a, b], needs }) => [
    needs[0] ? sumTo(mul(g, b!), a!.shape) : null,
    needs[1] ? sumTo(mul(g, a!), b!.shape) : null,
  ],
});

export function mul(a: TensorLike, b: TensorLike): Tensor {
  return op.apply([asTensor('mul', a, 'a'), asTensor('mul', b, 'b')], undefined);
}

export const domain: Domain = { arity: 2, shapes: 'broadcastable', values: { min: -3, max: 3 } };
