import { Tensor, TensorLike, kernels } from '../lib';
import { defineOp } from '../graph';
import { asTensor } from './args';
import { mul } from './mul';
import { cos } from './cos';
import { Domain } from './domain';

/** y = sin x.  x̄ = g ⊙ cos x */
const op = defineOp({
  name: 'sin',
  forward: ([x]) => kernels.sin(x!),
  vjp: (g, { inputs: [x] }) => [mul(g, cos(x!))],
});

export function sin(x: TensorLike): Tensor {
  return op.apply([asTensor('sin', x)], undefined);
}

export const domain: Domain = { arity: 1, shapes: 'any', values: { min: -3, max: 3 } };
