import { Tensor, TensorLike, kernels } from '../../lib';
import { defineOp } from '../../graph';
import { asTensor } from '../args';
import { mul } from '../mul';
import { Domain } from '../domain';

/** y = x².  x̄ = 2 g ⊙ x */
const op = defineOp({
  name: 'square',
  forward: ([x]) => kernels.mul(x!, x!),
  vjp: (g, { inputs: [x] }) => [mul(g, mul(x!, 2))],
});

/** x² elementwise (torch.square). */
export function square(x: TensorLike): Tensor {
  return op.apply([asTensor('square', x)], undefined);
}

export const domain: Domain = { arity: 1, shapes: 'any', values: { min: -3, max: 3 } };
