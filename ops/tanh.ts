import { Tensor, TensorLike, kernels } from '../lib';
import { defineOp } from '../graph';
import { asTensor } from './args';
import { mul } from './mul';
import { sub } from './sub';
import { Domain } from './domain';

/** y = tanh x.  x̄ = g ⊙ (1 − y²) */
const op = defineOp({
  name: 'tanh',
  forward: ([x]) => kernels.tanh(x!),
  vjp: (g, { output }) => [mul(g, sub(1, mul(output, output)))],
});

export function tanh(x: TensorLike): Tensor {
  return op.apply([asTensor('tanh', x)], undefined);
}

export const domain: Domain = { arity: 1, shapes: 'any', values: { min: -3, max: 3 } };
