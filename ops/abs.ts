import { Tensor, TensorLike, kernels } from '../lib';
import { maskOf } from './batching/rules';
import { defineOp } from '../graph';
import { asTensor } from './args';
import { mul } from './mul';
import { Domain } from './domain';

/** y = |x|.  x̄ = g ⊙ sign(x), taking sign(±0) = 0: abs′(0) = 0, as PyTorch's sgn */
const op = defineOp({
  name: 'abs',
  forward: ([x]) => kernels.abs(x!),
  vjp: (g, { inputs: [x] }) => [mul(g, maskOf(x!, kernels.sign))],
});

export function abs(x: TensorLike): Tensor {
  return op.apply([asTensor('abs', x)], undefined);
}

export const domain: Domain = { arity: 1, shapes: 'any', values: { min: -3, max: 3, avoid: [0], margin: 0.05 } };
