import { Tensor, TensorLike, kernels } from '../lib';
import { defineOp } from '../graph';
import { asTensor } from './args';
import { mul } from './mul';
import { Domain } from './domain';

/** y = eˣ.  x̄ = g ⊙ y */
const op = defineOp({
  name: 'exp',
  forward: ([x]) => kernels.exp(x!),
  vjp: (g, { output }) => [mul(g, output)],
});

export function exp(x: TensorLike): Tensor {
  return op.apply([asTensor('exp', x)], undefined);
}

export const domain: Domain = { arity: 1, shapes: 'any', values: { min: -3, max: 3 } };
