import { Tensor, TensorLike, kernels } from '../lib';
import { defineOp } from '../graph';
import { asTensor } from './args';
import { mul } from './mul';
import { neg } from './neg';
import { sin } from './sin';
import { Domain } from './domain';

/** y = cos x.  x̄ = −g ⊙ sin x */
const op = defineOp({
  name: 'cos',
  forward: ([x]) => kernels.cos(x!),
  vjp: (g, { inputs: [x] }) => [neg(mul(g, sin(x!)))],
});

export function cos(x: TensorLike): Tensor {
  return op.apply([asTensor('cos', x)], undefined);
}

export const domain: Domain = { arity: 1, shapes: 'any', values: { min: -3, max: 3 } };
