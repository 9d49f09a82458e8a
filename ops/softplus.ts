import { Tensor, TensorLike, kernels } from '../lib';
import { defineOp } from '../graph';
import { asTensor } from './args';
import { mul } from './mul';
import { sigmoid } from './sigmoid';
import { Domain } from './domain';

/** y = log(1 + eˣ) (computed stably).  x̄ = g ⊙ σ(x) */
const op = defineOp({
  name: 'softplus',
  forward: ([x]) => kernels.softplus(x!),
  vjp: (g, { inputs: [x] }) => [mul(g, sigmoid(x!))],
});

export function softplus(x: TensorLike): Tensor {
  return op.apply([asTensor('softplus', x)], undefined);
}

export const domain: Domain = { arity: 1, shapes: 'any', values: { min: -4, max: 4 } };
